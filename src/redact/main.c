/* redact: mask secret values and their encoded forms in a byte stream. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "atomicfile.h"
#include "blob.h"
#include "engine.h"
#include "exitcodes.h"
#include "names.h"
#include "secmem.h"
#include "secretset.h"
#include "util.h"

#define READ_SIZE (256 * 1024)
#define WRITE_SIZE (256 * 1024)
#define DIRECT_SIZE (16 * 1024)
#define PIPE_SIZE (1024 * 1024)

struct options {
	const char *blob;
	char *env_names; /* comma-separated, as given */
	size_t min_length;
	const char *format;
	const char *stats;
	bool encodings;
	bool detect;
};

/* Output only, yet in secure memory: it holds what was next to a secret. */
struct writer {
	unsigned char *buf;
	size_t len;
};

__attribute__((noreturn)) static void
usage(int status)
{
	fprintf(
	    status ? stderr : stdout,
	    "usage: redact [-b BLOB] [-e NAME[,NAME...]] [--min-length N]\n"
	    "              [--format FMT] [--stats FILE] [--no-encodings]\n"
	    "              [--detect]\n"
	    "Masks every secret value and its encoded forms in stdin;\n"
	    "FMT placeholders: %%n name, %%p kept type prefix, %%%% a %%.\n");
	exit(status);
}

static void
writer_flush(struct writer *w)
{
	if (w->len > 0 && write_full(STDOUT_FILENO, w->buf, w->len) != 0)
		err(EXIT_FAIL, "write standard output");
	w->len = 0;
}

static void
writer_put(void *ctx, const unsigned char *p, size_t n)
{
	struct writer *w = ctx;

	/* Large pieces go out as they are: no copy. */
	if (w->len + n > WRITE_SIZE || n >= DIRECT_SIZE) {
		writer_flush(w);
		if (n >= DIRECT_SIZE) {
			if (write_full(STDOUT_FILENO, p, n) != 0)
				err(EXIT_FAIL, "write standard output");
			return;
		}
	}
	memcpy(w->buf + w->len, p, n);
	w->len += n;
}

static void
note_short(const struct pattern_set *ps, const char *name,
           const struct short_report *r, bool *noted)
{
	if (r->value_short && !*noted)
		warnx("%s: value shorter than %zu bytes is not masked",
		      printable(name), ps->min_length);
	else if (r->short_lines > 0 && !*noted)
		warnx("%s: %zu lines shorter than %zu bytes are masked only "
		      "within the whole value",
		      printable(name), r->short_lines, ps->min_length);
	*noted = *noted || r->value_short || r->short_lines > 0;
}

/* Current and previous values of a sealed blob. */
static void
load_blob(struct pattern_set *ps, const char *path, json_t *unmasked)
{
	struct secretset *set = blob_load(path, NULL, NULL);
	bool *noted = calloc(set->count + 1, sizeof(*noted));

	if (noted == NULL)
		err(EXIT_FAIL, "memory");
	for (size_t i = 0; i < set->count; i++) {
		const struct secret *s = &set->items[i];
		struct short_report r;
		size_t first = i;

		patterns_add_value(ps, s->name, s->value, s->len, &r);
		for (size_t j = 0; j < i; j++)
			if (strcmp(set->items[j].name, s->name) == 0)
				first = j;
		note_short(ps, s->name, &r, &noted[first]);
		if (r.value_short)
			json_array_append_new(unmasked, json_string(s->name));
	}
	free(noted);
	secretset_free(set);
}

static bool
name_loaded(const struct pattern_set *ps, const char *name)
{
	for (size_t i = 0; i < ps->name_count; i++)
		if (strcmp(ps->names[i], name) == 0)
			return true;
	return false;
}

/* Values of named variables of our own environment, wiped there after. */
static void
load_env(struct pattern_set *ps, char *list, json_t *unmasked)
{
	for (char *name = strtok(list, ","); name != NULL;
	     name = strtok(NULL, ",")) {
		char *value = getenv(name);
		struct short_report r;
		bool noted = false;
		size_t len;
		unsigned char *copy;

		name_require(name);
		if (name_loaded(ps, name))
			continue; /* named twice: its value is wiped already */
		if (value == NULL) {
			warnx("%s: not set, nothing to mask", printable(name));
			continue;
		}
		len = strlen(value);
		copy = (unsigned char *)secmem_strndup(value, len);
		sodium_memzero(value, len);
		unsetenv(name);
		patterns_add_value(ps, name, copy, len, &r);
		secmem_free(copy);
		note_short(ps, name, &r, &noted);
		if (r.value_short)
			json_array_append_new(unmasked, json_string(name));
	}
}

static void
write_stats(const char *path, const struct pattern_set *ps,
            const struct masker *m, json_t *unmasked)
{
	json_t *root = json_object(), *masks = json_object();
	const uint64_t *counts = masker_counts(m);
	char *text;

	for (size_t i = 0; i < ps->name_count; i++)
		json_object_set_new(masks, ps->names[i],
		                    json_integer((json_int_t)counts[i]));
	json_object_set_new(root, "bytes_in",
	                    json_integer((json_int_t)masker_bytes_in(m)));
	json_object_set_new(root, "bytes_out",
	                    json_integer((json_int_t)masker_bytes_out(m)));
	json_object_set_new(root, "masks", masks);
	json_object_set(root, "unmasked", unmasked);
	text = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS);
	if (text == NULL)
		errx(EXIT_FAIL, "stats: cannot encode");
	if (atomic_write(path, text, strlen(text)) != 0)
		err(EXIT_FAIL, "stats %s", printable(path));
	free(text);
	json_decref(root);
}

/* Fewer, larger reads and writes on pipes; a refusal only costs speed. */
static void
pipes_widen(void)
{
	(void)fcntl(STDIN_FILENO, F_SETPIPE_SZ, PIPE_SIZE);
	(void)fcntl(STDOUT_FILENO, F_SETPIPE_SZ, PIPE_SIZE);
}

/* stdin to stdout through the masker, written after every read. */
static void
mask_stream(const struct options *o, struct pattern_set *ps, json_t *unmasked)
{
	struct automaton *a = automaton_build(ps);
	struct writer w = {secmem_alloc(WRITE_SIZE), 0};
	unsigned char *in = secmem_alloc(READ_SIZE);
	struct masker *m = masker_new(a, ps, o->format, writer_put, &w);

	pipes_widen();
	for (;;) {
		ssize_t n = read(STDIN_FILENO, in, READ_SIZE);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			err(EXIT_FAIL, "read standard input");
		if (n == 0)
			break;
		masker_feed(m, in, (size_t)n);
		writer_flush(&w);
	}
	masker_finish(m);
	writer_flush(&w);
	if (o->stats != NULL)
		write_stats(o->stats, ps, m, unmasked);
	masker_free(m);
	automaton_free(a);
	secmem_free(in);
	secmem_free(w.buf);
}

static void
parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longs[] = {
	    {"blob", required_argument, NULL, 'b'},
	    {"env", required_argument, NULL, 'e'},
	    {"min-length", required_argument, NULL, 'm'},
	    {"format", required_argument, NULL, 'f'},
	    {"stats", required_argument, NULL, 's'},
	    {"no-encodings", no_argument, NULL, 'N'},
	    {"detect", no_argument, NULL, 'D'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	uint64_t n;
	int c;

	while ((c = getopt_long(argc, argv, "b:e:h", longs, NULL)) != -1) {
		switch (c) {
		case 'b':
			o->blob = optarg;
			break;
		case 'e':
			o->env_names = optarg;
			break;
		case 'm':
			if (!parse_u64(optarg, &n) || n == 0 || n > VALUE_MAX)
				errx(EXIT_USAGE, "bad --min-length: %s",
				     printable(optarg));
			o->min_length = (size_t)n;
			break;
		case 'f':
			if (!format_is_valid(optarg))
				errx(EXIT_USAGE,
				     "bad --format %s: use %%n, "
				     "%%p or %%%%",
				     printable(optarg));
			o->format = optarg;
			break;
		case 's':
			o->stats = optarg;
			break;
		case 'N':
			o->encodings = false;
			break;
		case 'D':
			o->detect = true;
			break;
		case 'h':
			usage(EXIT_OK);
		default:
			usage(EXIT_USAGE);
		}
	}
	if (optind != argc)
		errx(EXIT_USAGE, "unexpected argument: %s",
		     printable(argv[optind]));
	if (o->blob != NULL && strcmp(o->blob, "-") == 0)
		errx(EXIT_USAGE, "-b -: standard input is the stream to mask; "
		                 "give the blob as a path or fd:N");
	if (o->blob == NULL && o->env_names == NULL && !o->detect)
		errx(EXIT_USAGE,
		     "nothing to mask: give -b BLOB, -e NAME or --detect");
}

int
main(int argc, char **argv)
{
	struct options o = {NULL, NULL, 6, FORMAT_DEFAULT, NULL, true, false};
	struct pattern_set *ps;
	json_t *unmasked = json_array();

	secmem_init();
	parse_options(argc, argv, &o);
	ps = patterns_new(o.min_length, o.encodings);
	if (o.detect)
		patterns_add_detectors(ps);
	if (o.env_names != NULL)
		load_env(ps, o.env_names, unmasked);
	if (o.blob != NULL)
		load_blob(ps, o.blob, unmasked);
	mask_stream(&o, ps, unmasked);
	patterns_free(ps);
	json_decref(unmasked);
	return EXIT_OK;
}
