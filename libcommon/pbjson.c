#include <arpa/inet.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libcommon/pbjson.h"
#include "libcommon/pyjson.h"
#include "libcommon/xalloc.h"

/*
 * crit's renderings, from the (criu) options of CRIU's .proto files and
 * the maps of pycriu's pb2dict.py.
 */

struct named {
	const char *name;
	uint64_t value;
};

#define NAMES(a)	a, sizeof(a) / sizeof(a[0])

static const struct named mmap_prot[] = {
	{ "PROT_READ", 0x1 }, { "PROT_WRITE", 0x2 }, { "PROT_EXEC", 0x4 },
};

static const struct named mmap_flags[] = {
	{ "MAP_SHARED", 0x1 }, { "MAP_PRIVATE", 0x2 }, { "MAP_DROPPABLE", 0x8 },
	{ "MAP_ANON", 0x20 }, { "MAP_GROWSDOWN", 0x100 },
};

static const struct named mmap_status[] = {
	{ "VMA_AREA_NONE", 0 }, { "VMA_AREA_REGULAR", 1u << 0 },
	{ "VMA_AREA_STACK", 1u << 1 }, { "VMA_AREA_VSYSCALL", 1u << 2 },
	{ "VMA_AREA_VDSO", 1u << 3 }, { "VMA_AREA_HEAP", 1u << 5 },
	{ "VMA_FILE_PRIVATE", 1u << 6 }, { "VMA_FILE_SHARED", 1u << 7 },
	{ "VMA_ANON_SHARED", 1u << 8 }, { "VMA_ANON_PRIVATE", 1u << 9 },
	{ "VMA_AREA_SYSVIPC", 1u << 10 }, { "VMA_AREA_SOCKET", 1u << 11 },
	{ "VMA_AREA_VVAR", 1u << 12 }, { "VMA_AREA_AIORING", 1u << 13 },
	{ "VMA_AREA_MEMFD", 1u << 14 }, { "VMA_AREA_SHSTK", 1u << 15 },
	{ "VMA_AREA_UPROBES", 1u << 17 }, { "VMA_UNSUPP", 1u << 31 },
};

static const struct named rfile_flags[] = {
	{ "O_WRONLY", 01 }, { "O_RDWR", 02 }, { "O_CREAT", 0100 },
	{ "O_EXCL", 0200 }, { "O_NOCTTY", 0400 }, { "O_TRUNC", 01000 },
	{ "O_APPEND", 02000 }, { "O_NONBLOCK", 04000 }, { "O_DSYNC", 010000 },
	{ "FASYNC", 020000 }, { "O_DIRECT", 040000 }, { "O_LARGEFILE", 0100000 },
	{ "O_DIRECTORY", 0200000 }, { "O_NOFOLLOW", 0400000 },
	{ "O_NOATIME", 01000000 }, { "O_CLOEXEC", 02000000 },
};

static const struct named pmap_flags[] = {
	{ "PE_PARENT", 1u << 0 }, { "PE_LAZY", 1u << 1 }, { "PE_PRESENT", 1u << 2 },
};

static const struct named seals_flags[] = {
	{ "F_SEAL_SEAL", 0x1 }, { "F_SEAL_SHRINK", 0x2 }, { "F_SEAL_GROW", 0x4 },
	{ "F_SEAL_WRITE", 0x8 }, { "F_SEAL_FUTURE_WRITE", 0x10 },
};

/* crit's own names, which do not follow the kernel's TASK_* numbers. */
static const struct named task_state[] = {
	{ "Alive", 1 }, { "Zombie", 3 }, { "Stopped", 6 },
};

static const struct named sk_family[] = {
	{ "UNIX", 1 }, { "INET", 2 }, { "INET6", 10 }, { "NETLINK", 16 },
	{ "PACKET", 17 },
};

static const struct named sk_type[] = {
	{ "STREAM", 1 }, { "DGRAM", 2 }, { "RAW", 3 }, { "SEQPACKET", 5 },
	{ "PACKET", 10 },
};

static const struct named sk_state[] = {
	{ "ESTABLISHED", 1 }, { "SYN_SENT", 2 }, { "SYN_RECV", 3 },
	{ "FIN_WAIT1", 4 }, { "FIN_WAIT2", 5 }, { "TIME_WAIT", 6 },
	{ "CLOSE", 7 }, { "CLOSE_WAIT", 8 }, { "LAST_ACK", 9 }, { "LISTEN", 10 },
};

static const struct named sk_proto[] = {
	{ "IP", 0 }, { "TCP", 6 }, { "UDP", 17 }, { "UDPLITE", 136 },
};

enum {
	H_HEX = 0x01,		/* "0x%x", inherited by sub-messages */
	H_DEV = 0x02,		/* "major:minor", kernel's 12:20 split */
	H_ODEV = 0x04,		/* ... glibc's major()/minor() */
	H_IPADD = 0x08,		/* repeated: one IPv4 or four IPv6 words */
	H_FLAGS = 0x10,		/* names of bits */
	H_DICT = 0x20,		/* name of the value */
	H_UNIX_NAME = 0x40,	/* quoted-printable, with or without pretty */
};

struct hint {
	const char *msg, *field;
	unsigned how;
	const struct named *names;
	size_t nnames;
};

static const struct hint hints[] = {
	{ "task_core_entry", "task_state", H_DICT, NAMES(task_state) },
	{ "task_core_entry", "blk_sigset", H_HEX, NULL, 0 },
	{ "task_core_entry", "blk_sigset_extended", H_HEX, NULL, 0 },
	{ "task_core_entry", "membarrier_registration_mask", H_HEX, NULL, 0 },
	{ "sa_entry", "sigaction", H_HEX, NULL, 0 },
	{ "sa_entry", "flags", H_HEX, NULL, 0 },
	{ "sa_entry", "restorer", H_HEX, NULL, 0 },
	{ "sa_entry", "mask", H_HEX, NULL, 0 },
	{ "sa_entry", "mask_extended", H_HEX, NULL, 0 },

	{ "thread_info_x86", "clear_tid_addr", H_HEX, NULL, 0 },
	{ "thread_info_x86", "gpregs", H_HEX, NULL, 0 },
	{ "user_x86_cet_entry", "cet", H_HEX, NULL, 0 },
	{ "user_x86_cet_entry", "ssp", H_HEX, NULL, 0 },
	{ "thread_info_aarch64", "clear_tid_addr", H_HEX, NULL, 0 },
	{ "thread_info_aarch64", "gpregs", H_HEX, NULL, 0 },
	{ "thread_info_arm", "clear_tid_addr", H_HEX, NULL, 0 },
	{ "thread_info_arm", "gpregs", H_HEX, NULL, 0 },
	{ "thread_info_ppc64", "clear_tid_addr", H_HEX, NULL, 0 },
	{ "thread_info_ppc64", "gpregs", H_HEX, NULL, 0 },
	{ "thread_info_s390", "clear_tid_addr", H_HEX, NULL, 0 },
	{ "thread_info_s390", "gpregs", H_HEX, NULL, 0 },
	{ "thread_info_s390", "fpregs", H_HEX, NULL, 0 },
	{ "thread_info_s390", "vxrs_low", H_HEX, NULL, 0 },
	{ "thread_info_s390", "vxrs_high", H_HEX, NULL, 0 },
	{ "thread_info_s390", "gs_cb", H_HEX, NULL, 0 },
	{ "thread_info_s390", "gs_bc", H_HEX, NULL, 0 },
	{ "thread_info_s390", "ri_cb", H_HEX, NULL, 0 },
	{ "thread_info_mips", "clear_tid_addr", H_HEX, NULL, 0 },
	{ "thread_info_mips", "gpregs", H_HEX, NULL, 0 },
	{ "thread_info_mips", "fpregs", H_HEX, NULL, 0 },
	{ "thread_info_loongarch64", "clear_tid_addr", H_HEX, NULL, 0 },
	{ "thread_info_loongarch64", "gpregs", H_HEX, NULL, 0 },
	{ "thread_info_loongarch64", "fpregs", H_HEX, NULL, 0 },
	{ "thread_info_riscv64", "clear_tid_addr", H_HEX, NULL, 0 },
	{ "thread_info_riscv64", "gpregs", H_HEX, NULL, 0 },

	{ "mm_entry", "mm_start_code", H_HEX, NULL, 0 },
	{ "mm_entry", "mm_end_code", H_HEX, NULL, 0 },
	{ "mm_entry", "mm_start_data", H_HEX, NULL, 0 },
	{ "mm_entry", "mm_end_data", H_HEX, NULL, 0 },
	{ "mm_entry", "mm_start_stack", H_HEX, NULL, 0 },
	{ "mm_entry", "mm_start_brk", H_HEX, NULL, 0 },
	{ "mm_entry", "mm_brk", H_HEX, NULL, 0 },
	{ "mm_entry", "mm_arg_start", H_HEX, NULL, 0 },
	{ "mm_entry", "mm_arg_end", H_HEX, NULL, 0 },
	{ "mm_entry", "mm_env_start", H_HEX, NULL, 0 },
	{ "mm_entry", "mm_env_end", H_HEX, NULL, 0 },
	{ "vma_entry", "start", H_HEX, NULL, 0 },
	{ "vma_entry", "end", H_HEX, NULL, 0 },
	{ "vma_entry", "prot", H_FLAGS, NAMES(mmap_prot) },
	{ "vma_entry", "flags", H_FLAGS, NAMES(mmap_flags) },
	{ "vma_entry", "status", H_FLAGS, NAMES(mmap_status) },
	{ "vma_entry", "madv", H_HEX, NULL, 0 },
	{ "vma_entry", "fdflags", H_HEX, NULL, 0 },
	{ "pagemap_entry", "vaddr", H_HEX, NULL, 0 },
	{ "pagemap_entry", "flags", H_FLAGS, NAMES(pmap_flags) },

	{ "reg_file_entry", "flags", H_FLAGS, NAMES(rfile_flags) },
	{ "memfd_file_entry", "flags", H_FLAGS, NAMES(rfile_flags) },
	{ "bpfmap_file_entry", "flags", H_FLAGS, NAMES(rfile_flags) },
	{ "memfd_inode_entry", "seals", H_FLAGS, NAMES(seals_flags) },
	{ "pipe_entry", "flags", H_HEX, NULL, 0 },
	{ "signalfd_entry", "flags", H_HEX, NULL, 0 },
	{ "signalfd_entry", "sigmask", H_HEX, NULL, 0 },
	{ "timerfd_entry", "flags", H_HEX, NULL, 0 },
	{ "timerfd_entry", "settime_flags", H_HEX, NULL, 0 },
	{ "inotify_wd_entry", "mask", H_HEX, NULL, 0 },
	{ "inotify_wd_entry", "ignored_mask", H_HEX, NULL, 0 },
	{ "inotify_wd_entry", "s_dev", H_DEV, NULL, 0 },
	{ "inotify_file_entry", "flags", H_HEX, NULL, 0 },
	{ "fanotify_mark_entry", "mflags", H_HEX, NULL, 0 },
	{ "fanotify_mark_entry", "mask", H_HEX, NULL, 0 },
	{ "fanotify_mark_entry", "ignored_mask", H_HEX, NULL, 0 },
	{ "fanotify_mark_entry", "s_dev", H_DEV, NULL, 0 },
	{ "fanotify_file_entry", "flags", H_HEX, NULL, 0 },
	{ "fanotify_file_entry", "faflags", H_HEX, NULL, 0 },
	{ "fanotify_file_entry", "evflags", H_HEX, NULL, 0 },
	{ "ghost_file_entry", "dev", H_DEV, NULL, 0 },
	{ "ghost_file_entry", "rdev", H_DEV | H_ODEV, NULL, 0 },
	{ "irmap_cache_entry", "dev", H_DEV | H_ODEV, NULL, 0 },
	{ "tty_file_entry", "flags", H_HEX, NULL, 0 },

	{ "inet_sk_entry", "family", H_DICT, NAMES(sk_family) },
	{ "inet_sk_entry", "type", H_DICT, NAMES(sk_type) },
	{ "inet_sk_entry", "proto", H_DICT, NAMES(sk_proto) },
	{ "inet_sk_entry", "state", H_DICT, NAMES(sk_state) },
	{ "inet_sk_entry", "flags", H_HEX, NULL, 0 },
	{ "inet_sk_entry", "src_addr", H_IPADD, NULL, 0 },
	{ "inet_sk_entry", "dst_addr", H_IPADD, NULL, 0 },
	{ "unix_sk_entry", "type", H_DICT, NAMES(sk_type) },
	{ "unix_sk_entry", "state", H_DICT, NAMES(sk_state) },
	{ "unix_sk_entry", "flags", H_HEX, NULL, 0 },
	{ "unix_sk_entry", "uflags", H_HEX, NULL, 0 },
	{ "unix_sk_entry", "name", H_UNIX_NAME, NULL, 0 },
	{ "packet_sock_entry", "flags", H_HEX, NULL, 0 },
	{ "netlink_sk_entry", "flags", H_HEX, NULL, 0 },
	{ "tcp_stream_entry", "opt_mask", H_HEX, NULL, 0 },

	{ "mnt_entry", "root_dev", H_DEV, NULL, 0 },
	{ "mnt_entry", "flags", H_HEX, NULL, 0 },
	{ "mnt_entry", "sb_flags", H_HEX, NULL, 0 },
	{ "net_device_entry", "flags", H_HEX, NULL, 0 },
	{ "tun_link_entry", "flags", H_HEX, NULL, 0 },
	{ "sit_entry", "local", H_IPADD, NULL, 0 },
	{ "sit_entry", "remote", H_IPADD, NULL, 0 },
	{ "sit_entry", "rd_prefix", H_IPADD, NULL, 0 },
	{ "sit_entry", "relay_prefix", H_IPADD, NULL, 0 },
};

#define NHINTS	(sizeof(hints) / sizeof(hints[0]))

static int
hint_cmp(const void *a, const void *b)
{
	const struct hint *x = *(const struct hint *const *)a;
	const struct hint *y = *(const struct hint *const *)b;
	int c = strcmp(x->msg, y->msg);

	return c != 0 ? c : strcmp(x->field, y->field);
}

/* The hint for a field, or NULL; the table is grouped by topic: sort it once. */
static const struct hint *
hint_find(const ProtobufCMessageDescriptor *md,
    const ProtobufCFieldDescriptor *fd)
{
	static const struct hint *sorted[NHINTS];
	static int ready;
	struct hint key = { md->name, fd->name, 0, NULL, 0 };
	const struct hint *kp = &key, *const *r;

	if (!ready) {
		for (size_t i = 0; i < NHINTS; i++)
			sorted[i] = &hints[i];
		qsort(sorted, NHINTS, sizeof(sorted[0]), hint_cmp);
		ready = 1;
	}
	r = bsearch(&kp, sorted, NHINTS, sizeof(sorted[0]), hint_cmp);
	return r != NULL ? *r : NULL;
}

/* ------------------------------------------------------------ text forms */

struct json_object *
pbjson_base64(const void *buf, size_t len)
{
	static const char digits[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = buf;
	size_t lines = (len + 56) / 57, cap = (len + 2) / 3 * 4 + lines + 1;
	char *out = xmalloc(cap), *o = out;
	struct json_object *s;

	/* Python's encodebytes: 57 input bytes make one 76-character line. */
	for (size_t i = 0; i < len; i += 57) {
		size_t n = len - i < 57 ? len - i : 57;

		for (size_t j = 0; j < n; j += 3) {
			uint32_t v = (uint32_t)p[i + j] << 16;

			if (j + 1 < n)
				v |= (uint32_t)p[i + j + 1] << 8;
			if (j + 2 < n)
				v |= p[i + j + 2];
			*o++ = digits[v >> 18 & 63];
			*o++ = digits[v >> 12 & 63];
			*o++ = j + 1 < n ? digits[v >> 6 & 63] : '=';
			*o++ = j + 2 < n ? digits[v & 63] : '=';
		}
		*o++ = '\n';
	}
	s = json_object_new_string_len(out, (int)(o - out));
	free(out);
	return s;
}

/* Python's str(bytes), which crit prints for a string that is not UTF-8. */
static struct json_object *
py_bytes_repr(const uint8_t *p, size_t len)
{
	char *out = xmalloc(len * 4 + 4), *o = out;
	char quote = '\'';
	struct json_object *s;

	if (memchr(p, '\'', len) != NULL && memchr(p, '"', len) == NULL)
		quote = '"';
	*o++ = 'b';
	*o++ = quote;
	for (size_t i = 0; i < len; i++) {
		uint8_t c = p[i];

		if (c == quote || c == '\\') {
			*o++ = '\\';
			*o++ = (char)c;
		} else if (c == '\t' || c == '\n' || c == '\r') {
			*o++ = '\\';
			*o++ = c == '\t' ? 't' : c == '\n' ? 'n' : 'r';
		} else if (c < 0x20 || c >= 0x7f)
			o += sprintf(o, "\\x%02x", c);
		else
			*o++ = (char)c;
	}
	*o++ = quote;
	s = json_object_new_string_len(out, (int)(o - out));
	free(out);
	return s;
}

/*
 * Python's quopri.encodestring (binascii.b2a_qp with its defaults), which
 * crit applies to unix socket names.  Lines of at most 76 characters with
 * "=" soft breaks; if the data uses CRLF line ends, so does the output.
 */
static int
qp_needs_quote(const uint8_t *p, size_t len, size_t i, size_t linelen)
{
	uint8_t c = p[i];

	return c > 126 || c == '=' ||
	    (c == '.' && linelen == 0 && (i + 1 == len ||
	    p[i + 1] == '\n' || p[i + 1] == '\r' || p[i + 1] == 0)) ||
	    ((c == '\t' || c == ' ') && i + 1 == len) ||
	    (c < 33 && c != '\r' && c != '\n' && c != '\t' && c != ' ');
}

static struct json_object *
quoted_printable(const uint8_t *p, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	const uint8_t *nl = memchr(p, '\n', len);
	int crlf = nl != NULL && nl > p && nl[-1] == '\r';
	char *out = xmalloc(len * 6 + 1);
	size_t i = 0, o = 0, linelen = 0;
	struct json_object *s;

	while (i < len) {
		if (qp_needs_quote(p, len, i, linelen)) {
			if (linelen + 3 >= 76) {
				out[o++] = '=';
				if (crlf)
					out[o++] = '\r';
				out[o++] = '\n';
				linelen = 0;
			}
			out[o++] = '=';
			out[o++] = hex[p[i] >> 4];
			out[o++] = hex[p[i] & 15];
			i++;
			linelen += 3;
		} else if (p[i] == '\n' ||
		    (i + 1 < len && p[i] == '\r' && p[i + 1] == '\n')) {
			linelen = 0;
			/* Whitespace at the end of a line is quoted. */
			if (o > 0 &&
			    (out[o - 1] == ' ' || out[o - 1] == '\t')) {
				uint8_t c = (uint8_t)out[o - 1];

				out[o - 1] = '=';
				out[o++] = hex[c >> 4];
				out[o++] = hex[c & 15];
			}
			if (crlf)
				out[o++] = '\r';
			out[o++] = '\n';
			i += p[i] == '\r' ? 2 : 1;
		} else {
			if (i + 1 != len && p[i + 1] != '\n' &&
			    linelen + 1 >= 76) {
				out[o++] = '=';
				if (crlf)
					out[o++] = '\r';
				out[o++] = '\n';
				linelen = 0;
			}
			linelen++;
			out[o++] = (char)p[i++];
		}
	}
	s = json_object_new_string_len(out, (int)o);
	free(out);
	return s;
}

/*
 * IPv6 as Python's ipaddress prints it: the first longest run of two or
 * more zero groups as "::".
 */
static void
ipv6_string(const uint8_t a[16], char *out)
{
	int best = -1, bestlen = 0, run = 0, start = -1;
	uint16_t g[8];

	for (int i = 0; i < 8; i++) {
		g[i] = (uint16_t)(a[2 * i] << 8 | a[2 * i + 1]);
		if (g[i] == 0) {
			if (run++ == 0)
				start = i;
			if (run > bestlen) {
				bestlen = run;
				best = start;
			}
		} else
			run = 0;
	}
	if (bestlen < 2)
		best = -1;
	*out = '\0';
	for (int i = 0; i < 8; i++) {
		if (i == best) {
			strcat(out, "::");
			i += bestlen - 1;
			continue;
		}
		if (i > 0 && i != best + bestlen)
			strcat(out, ":");
		sprintf(out + strlen(out), "%x", g[i]);
	}
}

/* ---------------------------------------------------------- wire format */

struct wf {			/* one field occurrence on the wire */
	uint32_t num;
	uint8_t wt;
	uint64_t v;		/* varint, fixed32, fixed64 */
	const uint8_t *p;	/* length-delimited, group: the payload */
	size_t len;
	size_t seq;		/* position on the wire, to sort stably */
};

enum { WT_VARINT, WT_64, WT_LEN, WT_SGROUP, WT_EGROUP, WT_32 };

struct ctx {
	int flags;
	const char *why;
};

static size_t
get_varint(const uint8_t *p, const uint8_t *end, uint64_t *v)
{
	uint64_t r = 0;

	for (size_t i = 0; i < 10 && p + i < end; i++) {
		r |= (uint64_t)(p[i] & 0x7f) << (7 * i);
		if ((p[i] & 0x80) == 0) {
			*v = r;
			return i + 1;
		}
	}
	return 0;
}

static uint64_t
get_le(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	while (n-- > 0)
		v = v << 8 | p[n];
	return v;
}

/*
 * Reads one field at *pp into w.  Groups are taken whole, up to their end
 * tag (depth limits nested ones).  Returns 0, or -1 with ctx->why.
 */
static int
read_field(struct ctx *cx, const uint8_t **pp, const uint8_t *end, struct wf *w,
    int depth)
{
	const uint8_t *p = *pp;
	uint64_t tag, n;
	size_t k;

	if ((k = get_varint(p, end, &tag)) == 0) {
		cx->why = "truncated or overlong tag";
		return -1;
	}
	p += k;
	if (tag >> 3 == 0 || tag >> 3 > 0x1fffffff) {
		cx->why = "field number out of range";
		return -1;
	}
	w->num = (uint32_t)(tag >> 3);
	w->wt = tag & 7;
	switch (w->wt) {
	case WT_VARINT:
		if ((k = get_varint(p, end, &w->v)) == 0) {
			cx->why = "truncated or overlong varint";
			return -1;
		}
		p += k;
		break;
	case WT_64:
	case WT_32:
		k = w->wt == WT_64 ? 8 : 4;
		if ((size_t)(end - p) < k) {
			cx->why = "truncated fixed-size value";
			return -1;
		}
		w->v = get_le(p, k);
		p += k;
		break;
	case WT_LEN:
		if ((k = get_varint(p, end, &n)) == 0) {
			cx->why = "truncated or overlong length";
			return -1;
		}
		p += k;
		if (n > (uint64_t)(end - p)) {
			cx->why = "length runs past the end";
			return -1;
		}
		w->p = p;
		w->len = (size_t)n;
		p += n;
		break;
	case WT_SGROUP: {
		struct wf inner;

		if (depth >= PBJSON_MAX_DEPTH) {
			cx->why = "groups nested too deeply";
			return -1;
		}
		w->p = p;
		for (;;) {
			const uint8_t *at = p;

			if (p == end) {
				cx->why = "group without its end";
				return -1;
			}
			if (read_field(cx, &p, end, &inner, depth + 1) != 0)
				return -1;
			if (inner.wt == WT_EGROUP) {
				if (inner.num != w->num) {
					cx->why = "group ends with another tag";
					return -1;
				}
				w->len = (size_t)(at - w->p);
				break;
			}
		}
		break;
	}
	case WT_EGROUP:
		/* Only valid as read_field's answer inside a group. */
		if (depth == 0) {
			cx->why = "group end without its start";
			return -1;
		}
		break;
	default:
		cx->why = "unknown wire type";
		return -1;
	}
	*pp = p;
	return 0;
}

static int
wf_cmp(const void *a, const void *b)
{
	const struct wf *x = a, *y = b;

	if (x->num != y->num)
		return x->num < y->num ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* ------------------------------------------------------------- values */

static int
wire_type_of(ProtobufCType t)
{
	switch (t) {
	case PROTOBUF_C_TYPE_FIXED64:
	case PROTOBUF_C_TYPE_SFIXED64:
	case PROTOBUF_C_TYPE_DOUBLE:
		return WT_64;
	case PROTOBUF_C_TYPE_FIXED32:
	case PROTOBUF_C_TYPE_SFIXED32:
	case PROTOBUF_C_TYPE_FLOAT:
		return WT_32;
	case PROTOBUF_C_TYPE_STRING:
	case PROTOBUF_C_TYPE_BYTES:
	case PROTOBUF_C_TYPE_MESSAGE:
		return WT_LEN;
	default:
		return WT_VARINT;
	}
}

static int
is_signed(ProtobufCType t)
{
	return t == PROTOBUF_C_TYPE_INT32 || t == PROTOBUF_C_TYPE_SINT32 ||
	    t == PROTOBUF_C_TYPE_SFIXED32 || t == PROTOBUF_C_TYPE_INT64 ||
	    t == PROTOBUF_C_TYPE_SINT64 || t == PROTOBUF_C_TYPE_SFIXED64;
}

/* The wire value as the field's type means it, signed types sign-extended. */
static uint64_t
typed_value(ProtobufCType t, uint64_t raw)
{
	switch (t) {
	case PROTOBUF_C_TYPE_INT32:
	case PROTOBUF_C_TYPE_SFIXED32:
	case PROTOBUF_C_TYPE_ENUM:
		return (uint64_t)(int64_t)(int32_t)(uint32_t)raw;
	case PROTOBUF_C_TYPE_SINT32: {
		uint32_t u = (uint32_t)raw;

		return (uint64_t)(int64_t)(int32_t)((u >> 1) ^ (0u - (u & 1)));
	}
	case PROTOBUF_C_TYPE_SINT64:
		return (raw >> 1) ^ (0 - (raw & 1));
	case PROTOBUF_C_TYPE_UINT32:
	case PROTOBUF_C_TYPE_FIXED32:
		return (uint32_t)raw;
	default:
		return raw;
	}
}

static struct json_object *
new_number(int sgn, uint64_t v)
{
	if (sgn || v <= INT64_MAX)
		return json_object_new_int64((int64_t)v);
	return json_object_new_uint64(v);
}

/* A short formatted string (numbers, devices): never longer than 64 bytes. */
static struct json_object *
new_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static struct json_object *
new_fmt(const char *fmt, ...)
{
	char buf[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return json_object_new_string(buf);
}

/* An integer the --pretty way: hex, device, flags, names, or a number. */
static struct json_object *
pretty_integer(ProtobufCType t, const struct hint *h, int hex, uint64_t v)
{
	int sgn = is_signed(t);
	unsigned how = h != NULL ? h->how : 0;

	if (hex || (how & H_HEX)) {
		if (sgn && (int64_t)v < 0)
			return new_fmt("-0x%" PRIx64, 0 - v);
		return new_fmt("0x%" PRIx64, v);
	}
	if (how & H_ODEV)
		return new_fmt("%u:%u",
		    (unsigned)((v >> 8 & 0xfff) | (v >> 32 & ~0xfffu)),
		    (unsigned)((v & 0xff) | (v >> 12 & ~0xffu)));
	if (how & H_DEV)
		return new_fmt("%" PRIu64 ":%" PRIu64, v >> 20, v & 0xfffff);
	if (how & H_FLAGS) {
		char buf[1024] = "";
		uint64_t rest = v;

		for (size_t i = 0; i < h->nnames; i++) {
			if (v & h->names[i].value) {
				if (buf[0] != '\0')
					strcat(buf, " | ");
				strcat(buf, h->names[i].name);
			}
			rest &= ~h->names[i].value;
		}
		if (rest != 0)
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
			    "%s0x%" PRIx64, buf[0] != '\0' ? " | " : "", rest);
		return json_object_new_string(buf);
	}
	if (how & H_DICT) {
		for (size_t i = 0; i < h->nnames; i++)
			if (h->names[i].value == v)
				return json_object_new_string(h->names[i].name);
	}
	return new_number(sgn, v);
}

static struct json_object *decode_msg(struct ctx *,
    const ProtobufCMessageDescriptor *, const uint8_t *, size_t, int hex,
    int depth);

/*
 * One value of field fd from its wire form.  Sets *unknown (and returns
 * NULL) for an enum value without a name, which protobuf keeps as an
 * unknown field.  Returns NULL with cx->why when a sub-message is damaged.
 */
static struct json_object *
decode_value(struct ctx *cx, const ProtobufCFieldDescriptor *fd,
    const struct hint *h, int hex,
    uint64_t raw, const uint8_t *p, size_t len, int depth, int *unknown)
{
	uint64_t v;

	*unknown = 0;
	switch (fd->type) {
	case PROTOBUF_C_TYPE_MESSAGE:
		return decode_msg(cx, fd->descriptor, p, len,
		    hex || (h != NULL && (h->how & H_HEX)), depth + 1);
	case PROTOBUF_C_TYPE_BYTES:
		if (h != NULL && (h->how & H_UNIX_NAME))
			return quoted_printable(p, len);
		return pbjson_base64(p, len);
	case PROTOBUF_C_TYPE_STRING:
		if (pyjson_utf8_valid(p, len))
			return json_object_new_string_len((const char *)p,
			    (int)len);
		return py_bytes_repr(p, len);
	case PROTOBUF_C_TYPE_BOOL:
		return json_object_new_boolean(raw != 0);
	case PROTOBUF_C_TYPE_ENUM: {
		const ProtobufCEnumValue *ev;

		ev = protobuf_c_enum_descriptor_get_value(fd->descriptor,
		    (int)(int32_t)(uint32_t)raw);

		if (ev == NULL) {
			*unknown = 1;
			return NULL;
		}
		return json_object_new_string(ev->name);
	}
	case PROTOBUF_C_TYPE_FLOAT: {
		uint32_t u = (uint32_t)raw;
		float f;

		memcpy(&f, &u, sizeof(f));
		return json_object_new_double(f);
	}
	case PROTOBUF_C_TYPE_DOUBLE: {
		double d;

		memcpy(&d, &raw, sizeof(d));
		return json_object_new_double(d);
	}
	default:
		break;
	}
	v = typed_value(fd->type, raw);
	if (cx->flags & PBJSON_PRETTY)
		return pretty_integer(fd->type, h, hex, v);
	return new_number(is_signed(fd->type), v);
}

/* Raw values of unknown fields: numbers, or base64 for payloads. */
static struct json_object *
raw_value(const struct wf *w)
{
	if (w->wt == WT_LEN || w->wt == WT_SGROUP)
		return pbjson_base64(w->p, w->len);
	return new_number(0, w->v);
}

struct unknowns {
	const struct wf **v;
	size_t n, cap;
};

static void
unknown_add(struct unknowns *u, const struct wf *w)
{
	if (u->n == u->cap) {
		u->cap = u->cap ? u->cap * 2 : 8;
		u->v = xreallocarray(u->v, u->cap, sizeof(u->v[0]));
	}
	u->v[u->n++] = w;
}

/* Packed values of a repeated scalar, each through emit; -1 when damaged. */
static int
unpack_packed(struct ctx *cx, const struct wf *w, int wt,
    int (*emit)(void *, uint64_t), void *arg)
{
	const uint8_t *p = w->p, *end = w->p + w->len;
	uint64_t v;
	size_t k;

	while (p < end) {
		if (wt == WT_VARINT) {
			if ((k = get_varint(p, end, &v)) == 0) {
				cx->why = "bad varint in packed field";
				return -1;
			}
		} else {
			k = wt == WT_64 ? 8 : 4;
			if ((size_t)(end - p) < k) {
				cx->why = "cut fixed-size value in packed field";
				return -1;
			}
			v = get_le(p, k);
		}
		p += k;
		if (emit(arg, v) != 0)
			return -1;
	}
	return 0;
}

struct repeated {		/* collects a repeated scalar field's values */
	struct ctx *cx;
	const ProtobufCFieldDescriptor *fd;
	const struct hint *h;
	int hex, depth;
	const struct wf *w;	/* the occurrence the values come from */
	struct json_object *arr;
	struct unknowns *unk;
	uint32_t addr[4];	/* the first words, for IP addresses */
	size_t naddr;
};

static int
repeated_emit(void *arg, uint64_t raw)
{
	struct repeated *r = arg;
	struct json_object *o;
	int unknown;

	if (r->naddr < 4)
		r->addr[r->naddr] = (uint32_t)raw;
	r->naddr++;
	o = decode_value(r->cx, r->fd, r->h, r->hex, raw, NULL, 0, r->depth,
	    &unknown);
	if (unknown) {
		/* Kept raw once, however many values the occurrence held. */
		if (r->unk->n == 0 || r->unk->v[r->unk->n - 1] != r->w)
			unknown_add(r->unk, r->w);
		return 0;
	}
	json_object_array_add(r->arr, o);
	return 0;
}

/* crit --pretty's address: one word IPv4, four words IPv6, in network order. */
static struct json_object *
ip_address(const uint32_t *words, size_t n)
{
	uint8_t a[16];
	char buf[64];

	for (size_t i = 0; i < n; i++) {
		uint32_t h = ntohl(words[i]);

		a[4 * i] = (uint8_t)(h >> 24);
		a[4 * i + 1] = (uint8_t)(h >> 16);
		a[4 * i + 2] = (uint8_t)(h >> 8);
		a[4 * i + 3] = (uint8_t)h;
	}
	if (n == 1)
		snprintf(buf, sizeof(buf), "%u.%u.%u.%u", a[0], a[1], a[2],
		    a[3]);
	else
		ipv6_string(a, buf);
	return json_object_new_string(buf);
}

/*
 * Field fd from its occurrences w[0..n).  Adds the key to obj unless the
 * field ends up without a value; occurrences that do not fit go to unk.
 * Returns 0, or -1 with cx->why.
 */
static int
decode_field(struct ctx *cx, struct json_object *obj,
    const ProtobufCMessageDescriptor *md, const ProtobufCFieldDescriptor *fd,
    const struct wf *w, size_t n,
    int hex, int depth, struct unknowns *unk)
{
	const struct hint *h = NULL;
	int wt = wire_type_of(fd->type), unknown;
	struct json_object *val = NULL;

	if ((cx->flags & PBJSON_PRETTY) || fd->type == PROTOBUF_C_TYPE_BYTES)
		h = hint_find(md, fd);

	if (fd->label == PROTOBUF_C_LABEL_REPEATED) {
		struct repeated r = { cx, fd, h, hex, depth, NULL,
		    json_object_new_array(), unk, { 0 }, 0 };

		for (size_t i = 0; i < n; i++) {
			r.w = &w[i];
			if (w[i].wt == wt && wt == WT_LEN) {
				val = decode_value(cx, fd, h, hex, 0, w[i].p,
				    w[i].len, depth, &unknown);
				if (val == NULL)
					goto bad;
				json_object_array_add(r.arr, val);
			} else if (w[i].wt == wt) {
				repeated_emit(&r, w[i].v);
			} else if (w[i].wt == WT_LEN && wt != WT_LEN) {
				if (unpack_packed(cx, &w[i], wt, repeated_emit,
				    &r) != 0)
					goto bad;
			} else
				unknown_add(unk, &w[i]);
		}
		if (json_object_array_length(r.arr) == 0) {
			json_object_put(r.arr);
			return 0;
		}
		if (h != NULL && (h->how & H_IPADD) &&
		    (cx->flags & PBJSON_PRETTY) &&
		    (r.naddr == 1 || r.naddr >= 4) &&
		    json_object_array_length(r.arr) == r.naddr) {
			json_object_put(r.arr);
			r.arr = json_object_new_array();
			json_object_array_add(r.arr,
			    ip_address(r.addr, r.naddr == 1 ? 1 : 4));
		}
		json_object_object_add(obj, fd->name, r.arr);
		return 0;
bad:
		json_object_put(r.arr);
		return -1;
	}

	if (fd->type == PROTOBUF_C_TYPE_MESSAGE) {
		/* Occurrences of a sub-message merge: decode them as one. */
		size_t total = 0, k = 0, last = 0;
		uint8_t *cat = NULL;
		const uint8_t *p = NULL;

		for (size_t i = 0; i < n; i++) {
			if (w[i].wt != WT_LEN) {
				unknown_add(unk, &w[i]);
				continue;
			}
			total += w[i].len;
			k++;
			last = i;
		}
		if (k == 0)
			return 0;
		if (k == 1)
			p = w[last].p;
		else {
			size_t off = 0;

			p = cat = xmalloc(total ? total : 1);
			for (size_t i = 0; i < n; i++) {
				if (w[i].wt != WT_LEN)
					continue;
				memcpy(cat + off, w[i].p, w[i].len);
				off += w[i].len;
			}
		}
		val = decode_value(cx, fd, h, hex, 0, p, total, depth,
		    &unknown);
		free(cat);
		if (val == NULL)
			return -1;
		json_object_object_add(obj, fd->name, val);
		return 0;
	}

	/* A scalar, string or bytes: the last value that fits wins. */
	for (size_t i = 0; i < n; i++) {
		struct json_object *v;

		if (w[i].wt != wt) {
			unknown_add(unk, &w[i]);
			continue;
		}
		v = decode_value(cx, fd, h, hex, w[i].v, w[i].p, w[i].len,
		    depth, &unknown);
		if (unknown) {
			unknown_add(unk, &w[i]);
			continue;
		}
		json_object_put(val);
		val = v;
	}
	if (val != NULL)
		json_object_object_add(obj, fd->name, val);
	return 0;
}

/* Unknown occurrences (sorted by number) under their numbers. */
static void
add_unknowns(struct json_object *obj, const struct unknowns *u)
{
	for (size_t i = 0; i < u->n;) {
		size_t j = i + 1;
		char key[16];

		while (j < u->n && u->v[j]->num == u->v[i]->num)
			j++;
		snprintf(key, sizeof(key), "%u", u->v[i]->num);
		if (j - i == 1)
			json_object_object_add(obj, key, raw_value(u->v[i]));
		else {
			struct json_object *arr = json_object_new_array();

			for (size_t k = i; k < j; k++)
				json_object_array_add(arr, raw_value(u->v[k]));
			json_object_object_add(obj, key, arr);
		}
		i = j;
	}
}

static struct json_object *
decode_msg(struct ctx *cx, const ProtobufCMessageDescriptor *md,
    const uint8_t *buf, size_t len, int hex, int depth)
{
	const uint8_t *p = buf, *end = len > 0 ? buf + len : buf;
	struct wf *w = NULL;
	size_t n = 0, cap = 0, i = 0;
	struct unknowns unk = { NULL, 0, 0 };
	struct json_object *obj = NULL;

	if (depth > PBJSON_MAX_DEPTH) {
		cx->why = "messages nested too deeply";
		return NULL;
	}
	while (p < end) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			w = xreallocarray(w, cap, sizeof(*w));
		}
		memset(&w[n], 0, sizeof(w[n]));
		if (read_field(cx, &p, end, &w[n], 0) != 0)
			goto out;
		w[n].seq = n;
		n++;
	}
	if (n > 1)
		qsort(w, n, sizeof(*w), wf_cmp);

	obj = json_object_new_object();
	for (unsigned f = 0; md != NULL && f < md->n_fields; f++) {
		const ProtobufCFieldDescriptor *fd = &md->fields[f];
		size_t j;

		for (; i < n && w[i].num < fd->id; i++)
			unknown_add(&unk, &w[i]);
		for (j = i; j < n && w[j].num == fd->id; j++)
			;
		if (j > i && decode_field(cx, obj, md, fd, &w[i], j - i, hex,
		    depth, &unk) != 0) {
			json_object_put(obj);
			obj = NULL;
			goto out;
		}
		i = j;
	}
	for (; i < n; i++)
		unknown_add(&unk, &w[i]);
	add_unknowns(obj, &unk);
out:
	free(unk.v);
	free(w);
	return obj;
}

struct json_object *
pbjson_decode(const ProtobufCMessageDescriptor *desc, const uint8_t *buf,
    size_t len, int flags, const char **why)
{
	struct ctx cx = { flags, NULL };
	struct json_object *obj = decode_msg(&cx, desc, buf, len, 0, 0);

	if (obj == NULL && why != NULL)
		*why = cx.why;
	return obj;
}
