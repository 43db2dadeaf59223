/*
 * pbjson renders hand-made protobuf messages the way crit does: field
 * order, merging, packed fields, enums, strings that are not UTF-8, bytes,
 * and every --pretty rendering; and keeps what crit would drop (unknown
 * fields, wrong wire types, nameless enum values) as raw fields.  Expected
 * strings were checked against crit decode on the same bytes.
 */

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.pb-c.h"
#include "core.pb-c.h"
#include "files.pb-c.h"
#include "mm.pb-c.h"
#include "mounts.pb-c.h"
#include "pstree.pb-c.h"
#include "sockets.pb-c.h"

#include "libcommon/pbjson.h"
#include "libcommon/pyjson.h"
#include "tests/unit/tap.h"

struct buf {
	uint8_t b[4096];
	size_t n;
};

static void
varint(struct buf *b, uint64_t v)
{
	do {
		b->b[b->n++] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		v >>= 7;
	} while (v != 0);
}

static void
f_varint(struct buf *b, unsigned num, uint64_t v)
{
	varint(b, (uint64_t)num << 3);
	varint(b, v);
}

static void
f_bytes(struct buf *b, unsigned num, const void *p, size_t len)
{
	varint(b, (uint64_t)num << 3 | 2);
	varint(b, len);
	memcpy(b->b + b->n, p, len);
	b->n += len;
}

static void
f_msg(struct buf *b, unsigned num, const struct buf *m)
{
	f_bytes(b, num, m->b, m->n);
}

static void
f_fixed32(struct buf *b, unsigned num, uint32_t v)
{
	varint(b, (uint64_t)num << 3 | 5);
	memcpy(b->b + b->n, &v, 4);	/* little-endian host */
	b->n += 4;
}

/* The JSON text of buf decoded as desc, as crit prints it (indent 0). */
static char *
render(const ProtobufCMessageDescriptor *desc, const struct buf *b, int flags)
{
	const char *why = NULL;
	struct json_object *o = pbjson_decode(desc, b->b, b->n, flags, &why);
	char *s = NULL;
	size_t len;
	FILE *f;

	if (o == NULL)
		return strdup(why ? why : "(null)");
	f = open_memstream(&s, &len);
	pyjson_write(f, o, 0, 0);
	fclose(f);
	json_object_put(o);
	return s;
}

static void
expect(const ProtobufCMessageDescriptor *desc, const struct buf *b, int flags,
    const char *want, const char *what)
{
	char *got = render(desc, b, flags);

	if (!tap_ok(strcmp(got, want) == 0, "%s", what))
		printf("#   got  %s\n#   want %s\n", got, want);
	free(got);
}

int
main(void)
{
	struct buf b, m, g;

	tap_plan(29);

	/* Field order and repeated fields. */
	memset(&b, 0, sizeof(b));
	f_varint(&b, 5, 7);
	f_varint(&b, 1, 7);
	f_varint(&b, 5, 8);
	f_varint(&b, 4, 1);
	expect(&pstree_entry__descriptor, &b, 0,
	    "{\"pid\": 7, \"sid\": 1, \"threads\": [7, 8]}",
	    "fields come out in field-number order, only those present");

	memset(&b, 0, sizeof(b));
	f_bytes(&b, 5, "\x07\x08\x96\x01", 4);
	f_varint(&b, 5, 9);
	expect(&pstree_entry__descriptor, &b, 0, "{\"threads\": [7, 8, 150, 9]}",
	    "packed and unpacked values of a repeated field join in order");

	memset(&b, 0, sizeof(b));
	f_varint(&b, 1, 1);
	f_varint(&b, 1, 2);
	expect(&pstree_entry__descriptor, &b, 0, "{\"pid\": 2}",
	    "the last value of a non-repeated field wins");

	/* Sub-messages and merging. */
	memset(&b, 0, sizeof(b));
	memset(&m, 0, sizeof(m));
	f_varint(&b, 1, 1);
	f_bytes(&m, 6, "sh", 2);
	f_msg(&b, 3, &m);
	memset(&m, 0, sizeof(m));
	f_varint(&m, 13, 1000);
	f_msg(&b, 3, &m);
	expect(&core_entry__descriptor, &b, 0,
	    "{\"mtype\": \"X86_64\", \"tc\": {\"comm\": \"sh\", \"loginuid\": 1000}}",
	    "enums by name; two occurrences of a sub-message merge");

	memset(&b, 0, sizeof(b));
	f_bytes(&b, 3, "", 0);
	expect(&core_entry__descriptor, &b, 0, "{\"tc\": {}}",
	    "an empty sub-message is present");

	/* What crit drops is kept raw. */
	memset(&b, 0, sizeof(b));
	f_varint(&b, 1, 99);
	expect(&core_entry__descriptor, &b, 0, "{\"1\": 99}",
	    "an enum value without a name stays a raw field");

	memset(&b, 0, sizeof(b));
	f_varint(&b, 1, 3);
	f_varint(&b, 99, 5);
	f_bytes(&b, 77, "\x01\x02", 2);
	f_varint(&b, 99, 6);
	expect(&pstree_entry__descriptor, &b, 0,
	    "{\"pid\": 3, \"77\": \"AQI=\\n\", \"99\": [5, 6]}",
	    "unknown fields come last, by number, raw");

	memset(&b, 0, sizeof(b));
	f_bytes(&b, 1, "ab", 2);
	f_fixed32(&b, 2, 10);
	expect(&pstree_entry__descriptor, &b, 0, "{\"1\": \"YWI=\\n\", \"2\": 10}",
	    "fields with the wrong wire type are kept raw under their numbers");

	memset(&b, 0, sizeof(b));
	f_varint(&b, 1, 3);
	f_bytes(&b, 2, "x", 1);
	expect(NULL, &b, 0, "{\"1\": 3, \"2\": \"eA==\\n\"}",
	    "a message of unknown type decodes whole as raw fields");

	memset(&b, 0, sizeof(b));
	varint(&b, 2 << 3 | 3);		/* group 2 { field 1 = 5 } */
	f_varint(&b, 1, 5);
	varint(&b, 2 << 3 | 4);
	expect(&pstree_entry__descriptor, &b, 0, "{\"2\": \"CAU=\\n\"}",
	    "a group is skipped whole and kept raw");

	/* Scalars. */
	memset(&b, 0, sizeof(b));
	f_varint(&b, 14, (uint64_t)-5);		/* int32 oom_score_adj */
	f_varint(&b, 18, 7);			/* bool child_subreaper */
	expect(&task_core_entry__descriptor, &b, 0,
	    "{\"oom_score_adj\": -5, \"child_subreaper\": true}",
	    "negative int32 and any nonzero bool");

	memset(&b, 0, sizeof(b));
	f_varint(&b, 3, 9);			/* sint32 sched_nice = -5 */
	f_varint(&b, 6, UINT64_MAX);		/* uint64 blk_sigset */
	expect(&thread_core_entry__descriptor, &b, 0,
	    "{\"sched_nice\": -5, \"blk_sigset\": 18446744073709551615}",
	    "zigzag sint32 and the largest uint64");

	memset(&b, 0, sizeof(b));
	f_bytes(&b, 6, "\xff" "A'\"\\\n\x01\xc3\xa9", 9);
	expect(&task_core_entry__descriptor, &b, 0,
	    "{\"comm\": \"b'\\\\xffA\\\\'\\\"\\\\\\\\\\\\n\\\\x01\\\\xc3\\\\xa9'\"}",
	    "a string that is not UTF-8 is shown as Python shows the bytes");

	memset(&b, 0, sizeof(b));
	f_bytes(&b, 6, "t\xc3\xa9\xf0\x9f\x98\x80\x7f\t", 9);
	expect(&task_core_entry__descriptor, &b, 0,
	    "{\"comm\": \"t\\u00e9\\ud83d\\ude00\\u007f\\t\"}",
	    "UTF-8 strings are escaped as json.dump's ensure_ascii does");

	memset(&b, 0, sizeof(b));
	{
		uint8_t raw[60];

		for (int i = 0; i < 60; i++)
			raw[i] = (uint8_t)i;
		f_bytes(&b, 1, raw, 60);
	}
	expect(&siginfo_entry__descriptor, &b, 0,
	    "{\"siginfo\": \"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4\\nOTo7\\n\"}",
	    "bytes are base64 in lines of 76, each ending in a newline");

	memset(&b, 0, sizeof(b));
	f_bytes(&b, 11, "\0sock =1 ", 9);
	expect(&unix_sk_entry__descriptor, &b, 0, "{\"name\": \"=00sock =3D1=20\"}",
	    "unix socket names are quoted-printable, as crit shows them");

	memset(&b, 0, sizeof(b));
	f_bytes(&b, 11, "\0a \r\r\n.", 7);
	expect(&unix_sk_entry__descriptor, &b, 0, "{\"name\": \"=00a \\r\\r\\n=2E\"}",
	    "quoted-printable takes CR LF as one line end");

	memset(&b, 0, sizeof(b));
	{
		char name[82];

		memset(name, 'x', 80);
		memcpy(name + 80, "\r\n", 2);
		f_bytes(&b, 11, name, 82);
	}
	expect(&unix_sk_entry__descriptor, &b, 0, "{\"name\": \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx=\\r\\nxxxxx\\r\\n\"}",
	    "quoted-printable breaks lines at 76, with CR LF when the data uses it");

	/* --pretty */
	memset(&b, 0, sizeof(b));
	f_varint(&b, 1, 0x7f0000001000);
	f_varint(&b, 5, 5);
	f_varint(&b, 6, 0x22);
	f_varint(&b, 7, 0x201 | 0x10000);
	f_varint(&b, 8, 1);			/* sint64 fd = -1 */
	expect(&vma_entry__descriptor, &b, PBJSON_PRETTY,
	    "{\"start\": \"0x7f0000001000\", \"prot\": \"PROT_READ | PROT_EXEC\", "
	    "\"flags\": \"MAP_PRIVATE | MAP_ANON\", "
	    "\"status\": \"VMA_AREA_REGULAR | VMA_ANON_PRIVATE | 0x10000\", \"fd\": -1}",
	    "--pretty: hex addresses, flag names, unnamed bits in hex");

	memset(&b, 0, sizeof(b));
	f_varint(&b, 1, 0x1000);
	f_varint(&b, 2, 0);
	f_varint(&b, 4, 0);
	expect(&pagemap_entry__descriptor, &b, PBJSON_PRETTY,
	    "{\"vaddr\": \"0x1000\", \"compat_nr_pages\": 0, \"flags\": \"\"}",
	    "--pretty: flags of 0 are an empty string");

	memset(&b, 0, sizeof(b));
	memset(&m, 0, sizeof(m));
	f_varint(&m, 17, 0x401000);
	f_varint(&m, 28, 1);
	f_varint(&b, 1, 0x10);
	f_msg(&b, 2, &m);
	expect(&thread_info_x86__descriptor, &b, PBJSON_PRETTY,
	    "{\"clear_tid_addr\": \"0x10\", \"gpregs\": {\"ip\": \"0x401000\", \"mode\": \"NATIVE\"}}",
	    "--pretty: a hex sub-message makes its integers hex, not its enums");

	memset(&b, 0, sizeof(b));
	f_varint(&b, 3, 8u << 20 | 1);
	f_varint(&b, 5, 0x20);
	expect(&mnt_entry__descriptor, &b, PBJSON_PRETTY,
	    "{\"root_dev\": \"8:1\", \"flags\": \"0x20\"}",
	    "--pretty: devices as major:minor");

	memset(&b, 0, sizeof(b));
	f_varint(&b, 6, 0x12345);	/* glibc: major 0x123, minor 0x45 */
	expect(&ghost_file_entry__descriptor, &b, PBJSON_PRETTY,
	    "{\"rdev\": \"291:69\"}",
	    "--pretty: old-style device numbers through major()/minor()");

	memset(&b, 0, sizeof(b));
	f_varint(&b, 3, 2);
	f_varint(&b, 4, 1);
	f_varint(&b, 5, 6);
	f_varint(&b, 6, 99);
	f_varint(&b, 11, htonl(0x7f000001));
	f_varint(&b, 12, htonl(0x20010db8));
	f_varint(&b, 12, 0);
	f_varint(&b, 12, 0);
	f_varint(&b, 12, htonl(1));
	expect(&inet_sk_entry__descriptor, &b, PBJSON_PRETTY,
	    "{\"family\": \"INET\", \"type\": \"STREAM\", \"proto\": \"TCP\", \"state\": 99, "
	    "\"src_addr\": [\"127.0.0.1\"], \"dst_addr\": [\"2001:db8::1\"]}",
	    "--pretty: socket names, unnamed values as numbers, IPv4 and IPv6");

	memset(&b, 0, sizeof(b));
	f_varint(&b, 11, htonl(0x7f000001));
	f_varint(&b, 11, 5);
	expect(&inet_sk_entry__descriptor, &b, PBJSON_PRETTY,
	    "{\"src_addr\": [16777343, 5]}",
	    "--pretty: two words are no address and stay numbers");

	memset(&b, 0, sizeof(b));
	f_varint(&b, 1, 1);
	f_varint(&b, 5, 0x10000);
	expect(&task_core_entry__descriptor, &b, PBJSON_PRETTY,
	    "{\"task_state\": \"Alive\", \"blk_sigset\": \"0x10000\"}",
	    "--pretty: task states by crit's names");

	memset(&b, 0, sizeof(b));
	f_varint(&b, 5, 0x10000);
	expect(&task_core_entry__descriptor, &b, 0, "{\"blk_sigset\": 65536}",
	    "without --pretty every integer is a number");

	/* Nesting limit. */
	memset(&g, 0, sizeof(g));
	{
		static struct buf nest[PBJSON_MAX_DEPTH + 2];

		memset(nest, 0, sizeof(nest));
		f_bytes(&nest[0], 1, "d", 1);
		for (int i = 1; i < PBJSON_MAX_DEPTH + 2; i++) {
			f_bytes(&nest[i], 1, "d", 1);
			f_msg(&nest[i], 2, &nest[i - 1]);
		}
		expect(&cgroup_dir_entry__descriptor, &nest[PBJSON_MAX_DEPTH + 1], 0,
		    "messages nested too deeply", "nesting beyond the limit is refused");
		g = nest[3];
		expect(&cgroup_dir_entry__descriptor, &g, 0,
		    "{\"dir_name\": \"d\", \"children\": [{\"dir_name\": \"d\", \"children\": "
		    "[{\"dir_name\": \"d\", \"children\": [{\"dir_name\": \"d\"}]}]}]}",
		    "recursive messages nest");
	}
	return tap_done();
}
