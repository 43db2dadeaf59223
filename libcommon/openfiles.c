#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "files.pb-c.h"
#include "sockets.pb-c.h"

#include "libcommon/imgread.h"
#include "libcommon/openfiles.h"
#include "libcommon/xalloc.h"

struct queued {
	uint32_t id;
	uint64_t bytes;
};

struct memfd {
	uint64_t inode_id, shmid;
	char *name;		/* "memfd:NAME" */
};

struct openfiles {
	const struct checkpoint *cp;
	FileEntry **v;		/* by id */
	size_t len;
	FileEntry **unix_;	/* unix sockets, by ino */
	size_t nunix;
	uint32_t *deleted;	/* ids of files open after their unlink, sorted */
	size_t ndeleted;
	struct queued *queued;	/* bytes in sk-queues.img, by socket id */
	size_t nqueued;
	struct memfd *memfd;
	size_t nmemfd;
};

static int
by_id(const void *a, const void *b)
{
	uint32_t x = (*(FileEntry *const *)a)->id, y = (*(FileEntry *const *)b)->id;

	return x < y ? -1 : x > y;
}

static int
by_ino(const void *a, const void *b)
{
	uint32_t x = (*(FileEntry *const *)a)->usk->ino, y = (*(FileEntry *const *)b)->usk->ino;

	return x < y ? -1 : x > y;
}

static int
u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int
queued_cmp(const void *a, const void *b)
{
	return u32_cmp(&((const struct queued *)a)->id, &((const struct queued *)b)->id);
}

static void
load_files(struct openfiles *t, int *bad)
{
	struct imgread r;
	ProtobufCMessage *m;
	int ret;

	if ((ret = imgread_open(&r, t->cp, "files.img", "FILES")) <= 0) {
		*bad |= ret < 0;
		return;
	}
	while ((ret = imgread_next(&r, &m)) > 0) {
		FileEntry *fe = (FileEntry *)m;

		t->v = xreallocarray(t->v, t->len + 1, sizeof(*t->v));
		t->v[t->len++] = fe;
		if (fe->type == FD_TYPES__UNIXSK && fe->usk != NULL) {
			t->unix_ = xreallocarray(t->unix_, t->nunix + 1, sizeof(*t->unix_));
			t->unix_[t->nunix++] = fe;
		}
	}
	*bad |= ret < 0;
	if (t->len > 0)
		qsort(t->v, t->len, sizeof(*t->v), by_id);
	if (t->nunix > 0)
		qsort(t->unix_, t->nunix, sizeof(*t->unix_), by_ino);
}

/* Files CRIU reopens through a remap: they had been unlinked. */
static void
load_remaps(struct openfiles *t, int *bad)
{
	struct imgread r;
	ProtobufCMessage *m;
	int ret;

	if ((ret = imgread_open(&r, t->cp, "remap-fpath.img", "REMAP_FPATH")) <= 0) {
		*bad |= ret < 0;
		return;
	}
	while ((ret = imgread_next(&r, &m)) > 0) {
		RemapFilePathEntry *re = (RemapFilePathEntry *)m;

		if (!re->has_remap_type || re->remap_type != REMAP_TYPE__PROCFS) {
			t->deleted = xreallocarray(t->deleted, t->ndeleted + 1,
			    sizeof(*t->deleted));
			t->deleted[t->ndeleted++] = re->orig_id;
		}
		protobuf_c_message_free_unpacked(m, NULL);
	}
	*bad |= ret < 0;
	if (t->ndeleted > 0)
		qsort(t->deleted, t->ndeleted, sizeof(*t->deleted), u32_cmp);
}

static void
load_queues(struct openfiles *t, int *bad)
{
	struct imgread r;
	ProtobufCMessage *m;
	int ret;

	if ((ret = imgread_open(&r, t->cp, "sk-queues.img", "SK_QUEUES")) <= 0) {
		*bad |= ret < 0;
		return;
	}
	while ((ret = imgread_next(&r, &m)) > 0) {
		SkPacketEntry *pe = (SkPacketEntry *)m;
		struct queued *q = NULL;

		for (size_t i = 0; i < t->nqueued && q == NULL; i++)
			if (t->queued[i].id == pe->id_for)
				q = &t->queued[i];
		if (q == NULL) {
			t->queued = xreallocarray(t->queued, t->nqueued + 1,
			    sizeof(*t->queued));
			q = &t->queued[t->nqueued++];
			*q = (struct queued){ pe->id_for, 0 };
		}
		q->bytes += pe->length;
		ret = imgread_skip(&r, pe->length);
		protobuf_c_message_free_unpacked(m, NULL);
		if (ret != 0)
			break;
	}
	*bad |= ret < 0;
	if (t->nqueued > 0)
		qsort(t->queued, t->nqueued, sizeof(*t->queued), queued_cmp);
}

static void
load_memfds(struct openfiles *t, int *bad)
{
	struct imgread r;
	ProtobufCMessage *m;
	int ret;

	if ((ret = imgread_open(&r, t->cp, "memfd.img", "MEMFD_INODE")) <= 0) {
		*bad |= ret < 0;
		return;
	}
	while ((ret = imgread_next(&r, &m)) > 0) {
		MemfdInodeEntry *me = (MemfdInodeEntry *)m;
		struct memfd *f;

		t->memfd = xreallocarray(t->memfd, t->nmemfd + 1, sizeof(*t->memfd));
		f = &t->memfd[t->nmemfd++];
		f->inode_id = me->inode_id;
		f->shmid = me->shmid;
		xasprintf(&f->name, "memfd:%s", me->name);
		protobuf_c_message_free_unpacked(m, NULL);
	}
	*bad |= ret < 0;
}

struct openfiles *
openfiles_load(const struct checkpoint *cp, int *bad)
{
	struct openfiles *t = xcalloc(1, sizeof(*t));

	t->cp = cp;
	load_files(t, bad);
	load_remaps(t, bad);
	load_queues(t, bad);
	load_memfds(t, bad);
	return t;
}

void
openfiles_free(struct openfiles *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->len; i++)
		file_entry__free_unpacked(t->v[i], NULL);
	for (size_t i = 0; i < t->nmemfd; i++)
		free(t->memfd[i].name);
	free(t->v);
	free(t->unix_);
	free(t->deleted);
	free(t->queued);
	free(t->memfd);
	free(t);
}

static const FileEntry *
find(const struct openfiles *t, uint32_t id)
{
	FileEntry key = FILE_ENTRY__INIT, *kp = &key, **found;

	key.id = id;
	if (t->len == 0)
		return NULL;
	found = bsearch(&kp, t->v, t->len, sizeof(*t->v), by_id);
	return found ? *found : NULL;
}

static const UnixSkEntry *
find_unix(const struct openfiles *t, uint32_t ino)
{
	UnixSkEntry ukey = UNIX_SK_ENTRY__INIT;
	FileEntry key = FILE_ENTRY__INIT, *kp = &key, **found;

	ukey.ino = ino;
	key.usk = &ukey;
	if (t->nunix == 0)
		return NULL;
	found = bsearch(&kp, t->unix_, t->nunix, sizeof(*t->unix_), by_ino);
	return found ? (*found)->usk : NULL;
}

const char *
openfiles_path(const struct openfiles *t, uint32_t id)
{
	const FileEntry *fe = find(t, id);

	return fe != NULL && fe->type == FD_TYPES__REG && fe->reg != NULL ?
	    fe->reg->name : NULL;
}

const char *
openfiles_memfd_name(const struct openfiles *t, uint64_t shmid)
{
	for (size_t i = 0; i < t->nmemfd; i++)
		if (t->memfd[i].shmid == shmid)
			return t->memfd[i].name;
	return NULL;
}

static const char *
memfd_by_inode(const struct openfiles *t, uint64_t inode_id)
{
	for (size_t i = 0; i < t->nmemfd; i++)
		if (t->memfd[i].inode_id == inode_id)
			return t->memfd[i].name;
	return "memfd:";
}

static int
is_deleted(const struct openfiles *t, uint32_t id)
{
	return t->ndeleted > 0 &&
	    bsearch(&id, t->deleted, t->ndeleted, sizeof(*t->deleted), u32_cmp) != NULL;
}

static uint32_t
socket_ino(const FileEntry *fe)
{
	switch (fe->type) {
	case FD_TYPES__UNIXSK:
		return fe->usk ? fe->usk->ino : 0;
	case FD_TYPES__INETSK:
		return fe->isk ? fe->isk->ino : 0;
	case FD_TYPES__NETLINKSK:
		return fe->nlsk ? fe->nlsk->ino : 0;
	default:
		return 0;
	}
}

/* What readlink(/proc/PID/fd/N) would say of file object fe. */
static char *
proc_name(const struct openfiles *t, const FileEntry *fe)
{
	const char *regf;
	char *s;

	switch (fe->type) {
	case FD_TYPES__REG:
		return xstrdup(fe->reg ? fe->reg->name : "");
	case FD_TYPES__PIPE:
		xasprintf(&s, "pipe:[%u]", fe->pipe ? fe->pipe->pipe_id : 0);
		return s;
	case FD_TYPES__FIFO:
		regf = fe->fifo && fe->fifo->has_regf_id ?
		    openfiles_path(t, fe->fifo->regf_id) : NULL;
		if (regf != NULL)
			return xstrdup(regf);
		xasprintf(&s, "pipe:[%u]", fe->fifo ? fe->fifo->pipe_id : 0);
		return s;
	case FD_TYPES__TTY:
		regf = fe->tty && fe->tty->has_regf_id ?
		    openfiles_path(t, fe->tty->regf_id) : NULL;
		return xstrdup(regf ? regf : "tty");
	case FD_TYPES__UNIXSK:
	case FD_TYPES__INETSK:
	case FD_TYPES__NETLINKSK:
	case FD_TYPES__PACKETSK:
		if (socket_ino(fe) == 0)
			return xstrdup("socket:");
		xasprintf(&s, "socket:[%u]", socket_ino(fe));
		return s;
	case FD_TYPES__EVENTFD:
		return xstrdup("anon_inode:[eventfd]");
	case FD_TYPES__EVENTPOLL:
		return xstrdup("anon_inode:[eventpoll]");
	case FD_TYPES__SIGNALFD:
		return xstrdup("anon_inode:[signalfd]");
	case FD_TYPES__TIMERFD:
		return xstrdup("anon_inode:[timerfd]");
	case FD_TYPES__INOTIFY:
		return xstrdup("anon_inode:inotify");
	case FD_TYPES__FANOTIFY:
		return xstrdup("anon_inode:[fanotify]");
	case FD_TYPES__BPFMAP:
		return xstrdup("anon_inode:bpf-map");
	case FD_TYPES__PIDFD:
		return xstrdup("anon_inode:[pidfd]");
	case FD_TYPES__MEMFD:
		xasprintf(&s, "/%s", fe->memfd ? memfd_by_inode(t, fe->memfd->inode_id) : "memfd:");
		return s;
	case FD_TYPES__TUNF:
		return xstrdup("/dev/net/tun");
	case FD_TYPES__NS:
		return xstrdup("nsfs");
	case FD_TYPES__EXT:
		return xstrdup("external");
	default:
		return xstrdup("");
	}
}

static const char *
type_name(uint32_t type)
{
	const ProtobufCEnumValue *v =
	    protobuf_c_enum_descriptor_get_value(&fd_types__descriptor, (int)type);

	return v != NULL ? v->name : "UNKNOWN";
}

struct json_object *
openfiles_fd(const struct openfiles *t, uint32_t fd, uint32_t id)
{
	struct json_object *o = json_object_new_object();
	const FileEntry *fe = find(t, id);
	char *name;

	json_object_object_add(o, "fd", json_object_new_int64(fd));
	if (fe == NULL) {
		json_object_object_add(o, "type", json_object_new_string("UNKNOWN"));
		json_object_object_add(o, "path", NULL);
		return o;
	}
	json_object_object_add(o, "type", json_object_new_string(type_name(fe->type)));
	name = proc_name(t, fe);
	json_object_object_add(o, "path", json_object_new_string(name));
	free(name);
	if (fe->type == FD_TYPES__REG && fe->reg != NULL) {
		json_object_object_add(o, "pos", json_object_new_int64((int64_t)fe->reg->pos));
		json_object_object_add(o, "deleted",
		    json_object_new_boolean(is_deleted(t, fe->id)));
	}
	return o;
}

static const char *
named(uint32_t v, const char *const *names, size_t n)
{
	return v < n && names[v] != NULL ? names[v] : NULL;
}

static const char *const sk_types[] = {
	[1] = "STREAM", [2] = "DGRAM", [3] = "RAW", [4] = "RDM", [5] = "SEQPACKET",
	[10] = "PACKET",
};

static const char *const sk_states[] = {
	[1] = "ESTABLISHED", [2] = "SYN_SENT", [3] = "SYN_RECV", [4] = "FIN_WAIT1",
	[5] = "FIN_WAIT2", [6] = "TIME_WAIT", [7] = "CLOSE", [8] = "CLOSE_WAIT",
	[9] = "LAST_ACK", [10] = "LISTEN", [11] = "CLOSING",
};

#define N(a)	(sizeof(a) / sizeof(a[0]))

static void
add_named(struct json_object *o, const char *key, uint32_t v,
    const char *const *names, size_t n)
{
	const char *s = named(v, names, n);
	char num[16];

	if (s == NULL) {
		snprintf(num, sizeof(num), "%u", v);
		s = num;
	}
	json_object_object_add(o, key, json_object_new_string(s));
}

/* "127.0.0.1:80", "[::1]:80", or "*:80" for the any address. */
static struct json_object *
inet_address(uint32_t family, const uint32_t *words, size_t n, uint32_t port)
{
	char text[INET6_ADDRSTRLEN], *s;
	int v6 = family == AF_INET6 && n == 4;
	struct json_object *o;

	if ((family == AF_INET && n >= 1) || v6) {
		if (inet_ntop(v6 ? AF_INET6 : AF_INET, words, text, sizeof(text)) == NULL)
			snprintf(text, sizeof(text), "?");
	} else
		snprintf(text, sizeof(text), "*");
	xasprintf(&s, v6 ? "[%s]:%u" : "%s:%u", text, port);
	o = json_object_new_string(s);
	free(s);
	return o;
}

static void
describe_inet(const struct openfiles *t, struct json_object *o, const InetSkEntry *sk)
{
	const char *proto = sk->proto == 6 ? "tcp" : sk->proto == 17 ? "udp" :
	    sk->proto == 136 ? "udplite" : "raw";
	char kind[16], img[40];
	TcpStreamEntry *ts;
	int bad = 0;

	snprintf(kind, sizeof(kind), "%s%s", proto, sk->family == AF_INET6 ? "6" : "");
	json_object_object_add(o, "kind", json_object_new_string(kind));
	add_named(o, "type", sk->type, sk_types, N(sk_types));
	add_named(o, "state", sk->state, sk_states, N(sk_states));
	json_object_object_add(o, "local",
	    inet_address(sk->family, sk->src_addr, sk->n_src_addr, sk->src_port));
	json_object_object_add(o, "peer", sk->state == 10 ? NULL :
	    inet_address(sk->family, sk->dst_addr, sk->n_dst_addr, sk->dst_port));
	snprintf(img, sizeof(img), "tcp-stream-%x.img", sk->ino);
	if (sk->proto == 6 && (ts = imgread_first(t->cp, img, "TCP_STREAM", &bad)) != NULL) {
		json_object_object_add(o, "recv_queue", json_object_new_int64(ts->inq_len));
		json_object_object_add(o, "send_queue", json_object_new_int64(ts->outq_len));
		tcp_stream_entry__free_unpacked(ts, NULL);
	}
}

/* A unix socket's address: its path, "@name" when abstract, or NULL when unnamed. */
static struct json_object *
unix_address(const UnixSkEntry *sk)
{
	struct json_object *o;
	char *s;
	size_t n = sk->name.len;
	const char *name = (const char *)sk->name.data;

	if (n == 0)
		return NULL;
	if (name[0] == '\0') {
		s = xmalloc(n + 1);
		s[0] = '@';
		memcpy(s + 1, name + 1, n - 1);
		o = json_object_new_string_len(s, (int)n);
	} else {
		while (n > 0 && name[n - 1] == '\0')
			n--;
		if (name[0] != '/' && sk->name_dir != NULL)
			xasprintf(&s, "%s/%.*s", sk->name_dir, (int)n, name);
		else
			xasprintf(&s, "%.*s", (int)n, name);
		o = json_object_new_string(s);
	}
	free(s);
	return o;
}

static void
describe_unix(const struct openfiles *t, struct json_object *o, const UnixSkEntry *sk)
{
	const UnixSkEntry *peer;
	char *s;

	json_object_object_add(o, "kind", json_object_new_string("unix"));
	add_named(o, "type", sk->type, sk_types, N(sk_types));
	add_named(o, "state", sk->state, sk_states, N(sk_states));
	json_object_object_add(o, "local", unix_address(sk));
	if (sk->peer == 0) {
		json_object_object_add(o, "peer", NULL);
	} else if ((peer = find_unix(t, sk->peer)) != NULL && peer->name.len > 0) {
		json_object_object_add(o, "peer", unix_address(peer));
	} else {
		xasprintf(&s, "socket:[%u]", sk->peer);
		json_object_object_add(o, "peer", json_object_new_string(s));
		free(s);
	}
}

struct json_object *
openfiles_socket(const struct openfiles *t, uint32_t fd, uint32_t id)
{
	const FileEntry *fe = find(t, id);
	struct json_object *o, *q;
	struct queued key = { id, 0 }, *found;
	char *s;

	if (fe == NULL || (fe->type != FD_TYPES__INETSK && fe->type != FD_TYPES__UNIXSK &&
	    fe->type != FD_TYPES__NETLINKSK && fe->type != FD_TYPES__PACKETSK))
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "fd", json_object_new_int64(fd));
	if (fe->type == FD_TYPES__INETSK && fe->isk != NULL) {
		describe_inet(t, o, fe->isk);
	} else if (fe->type == FD_TYPES__UNIXSK && fe->usk != NULL) {
		describe_unix(t, o, fe->usk);
	} else if (fe->type == FD_TYPES__NETLINKSK && fe->nlsk != NULL) {
		json_object_object_add(o, "kind", json_object_new_string("netlink"));
		json_object_object_add(o, "type", json_object_new_string("RAW"));
		add_named(o, "state", fe->nlsk->state, sk_states, N(sk_states));
		xasprintf(&s, "protocol %u, port %u", fe->nlsk->protocol, fe->nlsk->portid);
		json_object_object_add(o, "local", json_object_new_string(s));
		free(s);
		if (fe->nlsk->dst_portid != 0 || fe->nlsk->dst_group != 0) {
			xasprintf(&s, "port %u, group %u", fe->nlsk->dst_portid,
			    fe->nlsk->dst_group);
			json_object_object_add(o, "peer", json_object_new_string(s));
			free(s);
		} else
			json_object_object_add(o, "peer", NULL);
	} else if (fe->type == FD_TYPES__PACKETSK && fe->psk != NULL) {
		json_object_object_add(o, "kind", json_object_new_string("packet"));
		add_named(o, "type", fe->psk->type, sk_types, N(sk_types));
		json_object_object_add(o, "state", NULL);
		xasprintf(&s, "protocol 0x%04x, ifindex %u", ntohs((uint16_t)fe->psk->protocol),
		    fe->psk->ifindex);
		json_object_object_add(o, "local", json_object_new_string(s));
		free(s);
		json_object_object_add(o, "peer", NULL);
	}
	if (!json_object_object_get_ex(o, "recv_queue", &q)) {
		found = t->nqueued == 0 ? NULL : bsearch(&key, t->queued, t->nqueued,
		    sizeof(*t->queued), queued_cmp);
		json_object_object_add(o, "recv_queue",
		    json_object_new_int64(found ? (int64_t)found->bytes : 0));
		json_object_object_add(o, "send_queue", json_object_new_int64(0));
	}
	json_object_object_add(o, "ino", socket_ino(fe) ?
	    json_object_new_int64(socket_ino(fe)) : NULL);
	return o;
}
