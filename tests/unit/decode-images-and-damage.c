/*
 * The image decoder on hand-made images: headers, every payload layout,
 * and damage of every kind (short headers, lengths past the end, entries
 * that are not protobuf, payloads cut short, huge claimed sizes), then a
 * deterministic storm of random and mutated images.  Damage must end in a
 * diagnostic and -1, never a crash (the SANITIZE=1 build checks memory),
 * and decode_print must still write complete JSON.
 */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libcommon/decode.h"
#include "libcommon/image.h"
#include "libcommon/limits.h"
#include "libcommon/magic.h"
#include "libcommon/pyjson.h"
#include "tests/unit/tap.h"

struct buf {
	uint8_t *b;
	size_t n, cap;
};

static void
add(struct buf *b, const void *p, size_t len)
{
	if (b->n + len > b->cap) {
		b->cap = (b->n + len) * 2;
		b->b = realloc(b->b, b->cap);
	}
	memcpy(b->b + b->n, p, len);
	b->n += len;
}

static void
u32(struct buf *b, uint32_t v)
{
	add(b, &v, 4);
}

static void
varint(struct buf *b, uint64_t v)
{
	do {
		uint8_t c = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));

		add(b, &c, 1);
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
	add(b, p, len);
}

/* An entry: u32 length, then the message. */
static void
entry(struct buf *img, const struct buf *msg)
{
	u32(img, (uint32_t)msg->n);
	add(img, msg->b, msg->n);
}

static void
reset(struct buf *b)
{
	b->n = 0;
}

static void
header(struct buf *img, const char *kind)
{
	reset(img);
	u32(img, IMG_COMMON_MAGIC);
	u32(img, magic_by_name(kind)->magic);
}

/* decode_buffer's JSON text (indent 0), or NULL when it failed. */
static char *
decode_text(const struct buf *img, const char *name)
{
	struct json_object *o;
	char *s = NULL;
	size_t len;
	FILE *f;

	if (decode_buffer(img->b, img->n, name, 0, &o) != 0)
		return NULL;
	f = open_memstream(&s, &len);
	pyjson_write(f, o, 0, 0);
	fclose(f);
	json_object_put(o);
	return s;
}

static void
expect(const struct buf *img, const char *want, const char *what)
{
	char *got = decode_text(img, "test.img");

	if (!tap_ok(got != NULL && strcmp(got, want) == 0, "%s", what))
		printf("#   got  %s\n#   want %s\n", got ? got : "(failed)", want);
	free(got);
}

static void
expect_fail(const struct buf *img, const char *name, const char *what)
{
	char *got = decode_text(img, name);

	if (!tap_ok(got == NULL, "%s", what))
		printf("#   got  %s\n", got);
	free(got);
}

struct membuf {
	const uint8_t *p;
	size_t len, pos;
};

static ssize_t
mem_read(void *ctx, void *buf, size_t len)
{
	struct membuf *m = ctx;
	size_t n = m->len - m->pos < len ? m->len - m->pos : len;

	if (n > 0)
		memcpy(buf, m->p + m->pos, n);
	m->pos += n;
	return (ssize_t)n;
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 11);
}

int
main(void)
{
	struct buf img = { 0 }, m = { 0 }, s = { 0 };
	const struct img_magic *table;
	size_t ntable, survived = 0;
	int saved_err;

	tap_plan(31);

	/* Headers. */
	reset(&img);
	expect_fail(&img, "empty.img", "an empty file is no image");
	u32(&img, IMG_COMMON_MAGIC);
	expect_fail(&img, "x.img", "a header cut after IMG_COMMON is refused");
	reset(&img);
	u32(&img, INVENTORY_MAGIC);
	reset(&m);
	f_varint(&m, 1, 2);
	entry(&img, &m);
	expect(&img, "{\"magic\": \"INVENTORY\", \"entries\": [{\"img_version\": 2}]}",
	    "inventory has a single magic");
	header(&img, "PSTREE");
	expect(&img, "{\"magic\": \"PSTREE\", \"entries\": []}", "an image without entries");
	reset(&img);
	u32(&img, IMG_COMMON_MAGIC);
	u32(&img, 0x12345678);
	reset(&m);
	f_varint(&m, 3, 9);
	entry(&img, &m);
	expect(&img, "{\"magic\": \"0x12345678\", \"entries\": [{\"3\": 9}]}",
	    "an unknown magic after IMG_COMMON decodes raw");
	reset(&img);
	u32(&img, 0);
	u32(&img, 0);
	expect_fail(&img, "pages-1.img", "a raw pages image is refused");
	reset(&img);
	u32(&img, magic_by_name("KDAT")->magic);
	expect_fail(&img, "criu.kdat", "criu's kernel feature cache is refused");
	reset(&img);
	u32(&img, IMG_SERVICE_MAGIC);
	u32(&img, magic_by_name("STATS")->magic);
	reset(&m);
	reset(&s);
	f_varint(&s, 7, 35);
	f_bytes(&m, 1, s.b, s.n);
	entry(&img, &m);
	expect(&img, "{\"magic\": \"STATS\", \"entries\": [{\"dump\": {\"pages_written\": 35}}]}",
	    "stats-dump has IMG_SERVICE before its magic");

	/* Framing damage. */
	header(&img, "PSTREE");
	reset(&m);
	f_varint(&m, 1, 1);
	entry(&img, &m);
	img.n -= 1;
	expect_fail(&img, "x.img", "an entry running past the end is refused");
	header(&img, "PSTREE");
	add(&img, "\x05\x00", 2);
	expect_fail(&img, "x.img", "a cut entry length is refused");
	header(&img, "PSTREE");
	u32(&img, 0xfffffff0);
	add(&img, "abc", 3);
	expect_fail(&img, "x.img", "an entry claiming 4 GiB is refused");
	header(&img, "PSTREE");
	u32(&img, (uint32_t)limits.image_size - 1);
	add(&img, "\x08\x01", 2);
	expect_fail(&img, "x.img", "an entry claiming 64 MiB with 2 bytes is refused");
	header(&img, "PSTREE");
	u32(&img, 2);
	add(&img, "\x08\xff", 2);
	expect_fail(&img, "x.img", "an entry that is not protobuf is refused");

	/* The limits, lowered as -L image-size=16 -L image-entries=1 would. */
	limits.image_size = 16;
	header(&img, "PSTREE");
	reset(&m);
	f_varint(&m, 1, 1ull << 40);	/* 30 bytes that decode */
	f_varint(&m, 2, 1ull << 40);
	f_varint(&m, 3, 1ull << 40);
	entry(&img, &m);
	expect_fail(&img, "x.img", "an entry above the image-size limit is refused");
	limits.image_size = 64u << 20;
	limits.image_entries = 1;
	header(&img, "PSTREE");
	reset(&m);
	f_varint(&m, 1, 1);
	entry(&img, &m);
	entry(&img, &m);
	expect_fail(&img, "x.img", "an image past the image-entries limit is refused");
	limits.image_entries = 16u << 20;

	/* Payloads. */
	header(&img, "PIPES_DATA");
	reset(&m);
	f_varint(&m, 1, 7);
	f_varint(&m, 2, 3);
	entry(&img, &m);
	add(&img, "abc", 3);
	entry(&img, &m);
	add(&img, "xyz", 3);
	expect(&img, "{\"magic\": \"PIPES_DATA\", \"entries\": [{\"pipe_id\": 7, \"bytes\": 3, "
	    "\"extra\": \"YWJj\\n\"}, {\"pipe_id\": 7, \"bytes\": 3, \"extra\": \"eHl6\\n\"}]}",
	    "pipe data follows each entry");
	img.n -= 1;
	expect_fail(&img, "x.img", "pipe data cut short is refused");
	header(&img, "PIPES_DATA");
	reset(&m);
	f_varint(&m, 2, 0xffffffff);
	entry(&img, &m);
	add(&img, "abc", 3);
	expect_fail(&img, "x.img", "pipe data claiming 4 GiB is refused");

	header(&img, "TCP_STREAM");
	reset(&m);
	f_varint(&m, 1, 2);
	f_varint(&m, 3, 1);
	entry(&img, &m);
	add(&img, "inO", 3);
	expect(&img, "{\"magic\": \"TCP_STREAM\", \"entries\": [{\"inq_len\": 2, \"outq_len\": 1, "
	    "\"extra\": {\"inq\": \"aW4=\\n\", \"outq\": \"Tw==\\n\"}}]}",
	    "a TCP stream has its receive and send queues");

	header(&img, "SK_QUEUES");
	reset(&m);
	f_varint(&m, 1, 4);
	f_varint(&m, 2, 2);
	entry(&img, &m);
	add(&img, "hi", 2);
	expect(&img, "{\"magic\": \"SK_QUEUES\", \"entries\": [{\"id_for\": 4, \"length\": 2, "
	    "\"extra\": \"aGk=\\n\"}]}", "a queued packet has its data");

	header(&img, "BPFMAP_DATA");
	reset(&m);
	f_varint(&m, 2, 1);
	f_varint(&m, 3, 2);
	entry(&img, &m);
	add(&img, "kvv", 3);
	expect(&img, "{\"magic\": \"BPFMAP_DATA\", \"entries\": [{\"keys_bytes\": 1, "
	    "\"values_bytes\": 2, \"extra\": \"a3Z2\\n\"}]}", "BPF map data has keys and values");

	header(&img, "GHOST_FILE");
	reset(&m);
	f_varint(&m, 3, 0100644);
	entry(&img, &m);
	add(&img, "whole file", 10);
	expect(&img, "{\"magic\": \"GHOST_FILE\", \"entries\": [{\"mode\": 33188, "
	    "\"extra\": \"d2hvbGUgZmlsZQ==\\n\"}]}",
	    "a ghost file without chunks has its contents to the end");
	header(&img, "GHOST_FILE");
	reset(&m);
	f_varint(&m, 9, 1);
	entry(&img, &m);
	reset(&m);
	f_varint(&m, 1, 2);
	f_varint(&m, 2, 4096);
	entry(&img, &m);
	add(&img, "ab", 2);
	expect(&img, "{\"magic\": \"GHOST_FILE\", \"entries\": [{\"chunks\": true}, "
	    "{\"len\": 2, \"off\": 4096, \"extra\": \"YWI=\\n\"}]}",
	    "a ghost file with chunks has an entry per chunk");

	header(&img, "PAGEMAP");
	reset(&m);
	f_varint(&m, 1, 3);
	entry(&img, &m);
	reset(&m);
	f_varint(&m, 1, 0x1000);
	f_varint(&m, 5, 2);
	entry(&img, &m);
	expect(&img, "{\"magic\": \"PAGEMAP\", \"entries\": [{\"pages_id\": 3}, "
	    "{\"vaddr\": 4096, \"nr_pages\": 2}]}", "a pagemap starts with its head");

	header(&img, "IPCNS_SEM");
	reset(&m);
	f_varint(&m, 2, 3);
	entry(&img, &m);
	add(&img, "\x01\x00\x02\x00\x03\x00\x00\x00", 8);
	expect(&img, "{\"magic\": \"IPCNS_SEM\", \"entries\": [{\"nsems\": 3, \"extra\": [1, 2, 3]}]}",
	    "semaphore values, padded to 8 bytes");

	header(&img, "IPCNS_MSG");
	reset(&m);
	f_varint(&m, 3, 1);
	entry(&img, &m);
	reset(&m);
	f_varint(&m, 1, 7);
	f_varint(&m, 2, 3);
	entry(&img, &m);
	add(&img, "msg\0\0\0\0\0", 8);
	expect(&img, "{\"magic\": \"IPCNS_MSG\", \"entries\": [{\"qnum\": 1, \"extra\": "
	    "[{\"mtype\": 7, \"msize\": 3}, \"bXNn\\n\"]}]}", "queued messages and their data");
	header(&img, "IPCNS_MSG");
	reset(&m);
	f_varint(&m, 3, 2);
	entry(&img, &m);
	expect_fail(&img, "x.img", "a message queue missing its messages is refused");

	header(&img, "IPCNS_SHM");
	reset(&m);
	f_varint(&m, 2, 4096);
	f_varint(&m, 3, 1);
	entry(&img, &m);
	expect(&img, "{\"magic\": \"IPCNS_SHM\", \"entries\": [{\"size\": 4096, \"in_pagemaps\": true}]}",
	    "a shm segment kept in pagemaps has no payload here");

	/* The decoder names what it reads. */
	{
		struct membuf mb;
		struct decoder *d1, *d2;

		header(&img, "FILES");
		mb = (struct membuf){ img.b, img.n, 0 };
		d1 = decoder_open(mem_read, &mb, "files.img", 0);
		reset(&img);
		u32(&img, IMG_COMMON_MAGIC);
		u32(&img, 0xabcdef01);
		mb = (struct membuf){ img.b, img.n, 0 };
		d2 = decoder_open(mem_read, &mb, "x.img", 0);
		tap_ok(d1 != NULL && decoder_kind(d1) == magic_by_name("FILES") &&
		    strcmp(decoder_magic(d1), "FILES") == 0 && d2 != NULL &&
		    decoder_kind(d2) == NULL && strcmp(decoder_magic(d2), "0xabcdef01") == 0,
		    "decoder_kind and decoder_magic name known and unknown kinds");
		decoder_close(d1);
		decoder_close(d2);
	}

	/* decode_print keeps its JSON whole when the image breaks. */
	{
		struct membuf mb;
		char *out = NULL;
		size_t len;
		FILE *f;
		int r;

		header(&img, "PSTREE");
		reset(&m);
		f_varint(&m, 1, 1);
		entry(&img, &m);
		u32(&img, 9);
		mb = (struct membuf){ img.b, img.n, 0 };
		f = open_memstream(&out, &len);
		saved_err = dup(2);
		freopen("/dev/null", "w", stderr);
		r = decode_print(f, mem_read, &mb, "x.img", DECODE_PRETTY);
		fflush(stderr);
		dup2(saved_err, 2);
		close(saved_err);
		fclose(f);
		tap_ok(r == -1 && strcmp(out, "{\n    \"magic\": \"PSTREE\",\n    \"entries\": [\n"
		    "        {\n            \"pid\": 1\n        }\n    ]\n}\n") == 0,
		    "decode_print fails but closes its JSON after the last good entry");
		free(out);
	}

	/* A storm of random and mutated images: no crash, no leak. */
	table = magic_table(&ntable);
	saved_err = dup(2);
	freopen("/dev/null", "w", stderr);
	for (int i = 0; i < 30000; i++) {
		const struct img_magic *k = &table[rnd() % ntable];
		struct json_object *o;
		size_t n = rnd() % 200;

		reset(&img);
		if (k->magic != 0 && rnd() % 4 != 0) {
			if (k->head != 0)
				u32(&img, k->head);
			u32(&img, k->magic);
		}
		while (n-- > 0) {
			uint8_t c = (uint8_t)rnd();

			/* Small lengths and tags make deeper structure likelier. */
			if (rnd() % 3 == 0)
				c &= 0x1f;
			add(&img, &c, 1);
		}
		if (decode_buffer(img.b, img.n, "storm.img", rnd() & DECODE_PRETTY, &o) == 0)
			json_object_put(o);
		survived++;
	}
	header(&img, "CORE");
	reset(&m);
	reset(&s);
	f_varint(&s, 1, 1);
	f_bytes(&s, 6, "looper", 6);
	f_varint(&s, 5, 0x123);
	f_varint(&m, 1, 1);
	f_bytes(&m, 3, s.b, s.n);
	entry(&img, &m);
	entry(&img, &m);
	for (int i = 0; i < 30000; i++) {
		struct buf mut = { 0 };
		struct json_object *o;

		add(&mut, img.b, img.n);
		for (int j = rnd() % 4; j >= 0; j--)
			mut.b[8 + rnd() % (mut.n - 8)] ^= (uint8_t)(1u << (rnd() % 8));
		if (decode_buffer(mut.b, mut.n, "mutant.img", rnd() & DECODE_PRETTY, &o) == 0)
			json_object_put(o);
		free(mut.b);
		survived++;
	}
	fflush(stderr);
	dup2(saved_err, 2);
	close(saved_err);
	tap_ok(survived == 60000, "60000 random and mutated images decode or fail cleanly");

	free(img.b);
	free(m.b);
	free(s.b);
	return tap_done();
}
