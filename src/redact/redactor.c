/* SPDX-License-Identifier: ISC */
/* What redact does behind its options: load the values and build the
 * automaton once, then mask a stream (or, in forked children, several). */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
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
#include "image.h"
#include "image_file.h"
#include "names.h"
#include "redactor.h"
#include "secmem.h"
#include "secretset.h"
#include "util.h"
#include "views.h"

#define READ_SIZE (256 * 1024)  /* once a read fills the small buffer */
#define WRITE_SIZE (256 * 1024)
#define SMALL_SIZE (16 * 1024) /* to start with: most runs print little */
#define DIRECT_SIZE (16 * 1024)
#define PIPE_SIZE (1024 * 1024)
#define IDLE_MS 50 /* a held partial line waits this long for its rest */

/* Output only, yet in secure memory: it holds what was next to a secret. */
struct writer {
	unsigned char *buf;
	size_t len, cap;
	int fd;
	int error; /* errno of the first failed write; output is dropped */
};

static void
writer_write(struct writer *w, const unsigned char *p, size_t n)
{
	if (w->error == 0 && write_full(w->fd, p, n) != 0)
		w->error = errno;
}

static void
writer_flush(struct writer *w)
{
	if (w->len > 0)
		writer_write(w, w->buf, w->len);
	w->len = 0;
}

static void
writer_put(void *ctx, const unsigned char *p, size_t n)
{
	struct writer *w = ctx;

	/* Large pieces go out as they are: no copy. */
	if (w->len + n > w->cap || n >= DIRECT_SIZE) {
		writer_flush(w);
		if (n >= DIRECT_SIZE) {
			writer_write(w, p, n);
			return;
		}
	}
	memcpy(w->buf + w->len, p, n);
	w->len += n;
}

/* A note on stderr, kept in notes for an image to say again. */
static void
note(json_t *notes, const char *fmt, ...)
{
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	warnx("%s", text);
	json_array_append_new(notes, json_string(text));
}

static void
note_short(const struct pattern_set *ps, json_t *notes, const char *name,
           const struct short_report *r, bool *noted)
{
	if (r->value_short && !*noted)
		note(notes, "%s: value shorter than %zu bytes is not masked",
		     printable(name), ps->min_length);
	else if (r->short_lines > 0 && !*noted)
		note(notes,
		     "%s: %zu lines shorter than %zu bytes are masked only "
		     "within the whole value",
		     printable(name), r->short_lines, ps->min_length);
	*noted = *noted || r->value_short || r->short_lines > 0;
}

/* Current and previous values of a sealed blob. A name's note is
 * given once, for its first value (noted is per name index). */
static void
load_set(struct redactor *red, const struct secretset *set)
{
	struct pattern_set *ps = red->ps;
	size_t noted_cap = ps->name_count + set->count + 1;
	bool *noted = calloc(noted_cap, sizeof(*noted));
	size_t bytes = 0;

	if (noted == NULL)
		err(EXIT_FAIL, "memory");
	for (size_t i = 0; i < set->count; i++)
		bytes += set->items[i].len;
	patterns_reserve(ps, set->count, bytes);
	for (size_t i = 0; i < set->count; i++) {
		const struct secret *s = &set->items[i];
		struct short_report r;

		patterns_add_value(ps, s->name, s->value, s->len, &r);
		views_add_value(red->views, s->name, s->value, s->len);
		note_short(ps, red->notes, s->name, &r,
		           &noted[patterns_find_name(ps, s->name)]);
		if (r.value_short)
			json_array_append_new(red->unmasked,
			                      json_string(s->name));
	}
	free(noted);
}

/* The entries of our environment named in taken (NAME_MAX_LEN long at
 * most, as name_require() allows), dropped in one pass over environ:
 * unsetenv() for each would read the whole environment each time. */
static void
environ_drop(const struct pattern_set *ps, const bool *taken)
{
	extern char **environ;
	size_t kept = 0;

	for (size_t i = 0; environ != NULL && environ[i] != NULL; i++) {
		const char *eq = strchr(environ[i], '=');
		char name[NAME_MAX_LEN + 1];
		size_t n = eq != NULL ? (size_t)(eq - environ[i]) : 0;
		uint32_t k = UINT32_MAX;

		if (eq != NULL && n <= NAME_MAX_LEN) {
			memcpy(name, environ[i], n);
			name[n] = '\0';
			k = patterns_find_name(ps, name);
		}
		if (k == UINT32_MAX || !taken[k])
			environ[kept++] = environ[i];
	}
	if (environ != NULL)
		environ[kept] = NULL;
}

/*
 * Our environment's entries by name, so that thousands of names are
 * looked up in one pass over it rather than a getenv() each (which
 * reads the environment from the start). An entry's first name wins,
 * as with getenv(); the index holds environ's pointers, no value.
 */
struct env_index {
	char **entries; /* NULL: an empty slot */
	size_t mask;
};

static void
env_index_build(struct env_index *x)
{
	extern char **environ;
	size_t count = 0, cap = 64;

	while (environ != NULL && environ[count] != NULL)
		count++;
	while (cap < 2 * count)
		cap *= 2;
	if ((x->entries = calloc(cap, sizeof(*x->entries))) == NULL)
		err(EXIT_FAIL, "memory");
	x->mask = cap - 1;
	for (size_t i = 0; i < count; i++) {
		char *e = environ[i], *eq = strchr(e, '=');
		size_t n = eq != NULL ? (size_t)(eq - e) : 0, k;

		if (eq == NULL)
			continue;
		for (k = patterns_name_hash(e, n) & x->mask;
		     x->entries[k] != NULL; k = (k + 1) & x->mask)
			if (strncmp(x->entries[k], e, n + 1) == 0)
				break;
		if (x->entries[k] == NULL)
			x->entries[k] = e;
	}
}

/* The value of name in our environment, or NULL: what getenv() says. */
static char *
env_index_get(const struct env_index *x, const char *name)
{
	size_t n = strlen(name);

	for (size_t k = patterns_name_hash(name, n) & x->mask;
	     x->entries[k] != NULL; k = (k + 1) & x->mask)
		if (strncmp(x->entries[k], name, n) == 0 &&
		    x->entries[k][n] == '=')
			return x->entries[k] + n + 1;
	return NULL;
}

/* A name of the list, with its value in our environment (NULL: not
 * set) and the value's length. */
struct env_pick {
	char *name, *value;
	size_t len;
};

/*
 * The names in list (comma-separated, cut in place), each looked up in
 * env once; in *values and *bytes how many of them are set and their
 * values' bytes (a name given twice counted twice), for
 * patterns_reserve() before the first value is added.
 */
static struct env_pick *
env_pick(const struct env_index *env, char *list, size_t *count, size_t *values,
         size_t *bytes)
{
	struct env_pick *picks = NULL;
	size_t cap = 0;

	*count = *values = *bytes = 0;
	for (char *name = strtok(list, ","); name != NULL;
	     name = strtok(NULL, ",")) {
		char *value = env_index_get(env, name);
		size_t len = value != NULL ? strlen(value) : 0;

		if (*count == cap) {
			cap = cap ? 2 * cap : 64;
			picks = realloc(picks, cap * sizeof(*picks));
			if (picks == NULL)
				err(EXIT_FAIL, "memory");
		}
		picks[(*count)++] = (struct env_pick){name, value, len};
		*values += value != NULL;
		*bytes += len;
	}
	return picks;
}

/* Values of named variables of our own environment, wiped there, then
 * dropped from it. Each is copied into one secure buffer, grown when a
 * value needs it: a secure block per value would cost its system calls
 * thousands of times. */
static void
load_env(struct redactor *red, char *list)
{
	struct pattern_set *ps = red->ps;
	unsigned char *copy = NULL;
	size_t copy_cap = 0, taken_cap = ps->name_count + 64;
	bool *taken = calloc(taken_cap, sizeof(*taken));
	struct env_index env;
	struct env_pick *picks;
	size_t count, values, bytes;

	if (taken == NULL)
		err(EXIT_FAIL, "memory");
	env_index_build(&env);
	picks = env_pick(&env, list, &count, &values, &bytes);
	/* -e "" (a list a script left empty): said, as a name not set is */
	if (count == 0)
		warnx("-e names no variable, nothing to mask from the "
		      "environment");
	patterns_reserve(ps, values, bytes);
	for (size_t i = 0; i < count; i++) {
		char *name = picks[i].name, *value = picks[i].value;
		size_t len = picks[i].len;
		struct short_report r;
		bool noted = false;
		uint32_t k;

		name_require(name);
		if (patterns_find_name(ps, name) != UINT32_MAX)
			continue; /* named twice: its value is wiped already */
		if (value == NULL) {
			warnx("%s: not set, nothing to mask", printable(name));
			continue;
		}
		if (len + 1 > copy_cap) {
			secmem_free(copy);
			copy_cap = len + 1 < 4096 ? 4096 : 2 * (len + 1);
			copy = secmem_alloc(copy_cap);
		}
		memcpy(copy, value, len);
		copy[len] = '\0';
		sodium_memzero(value, len);
		patterns_add_value(ps, name, copy, len, &r);
		views_add_value(red->views, name, copy, len);
		sodium_memzero(copy, len);
		k = patterns_find_name(ps, name);
		if (k >= taken_cap) {
			size_t cap = 2 * (size_t)k + 64;

			taken = realloc(taken, cap * sizeof(*taken));
			if (taken == NULL)
				err(EXIT_FAIL, "memory");
			memset(taken + taken_cap, 0,
			       (cap - taken_cap) * sizeof(*taken));
			taken_cap = cap;
		}
		taken[k] = true;
		note_short(ps, red->notes, name, &r, &noted);
		if (r.value_short)
			json_array_append_new(red->unmasked, json_string(name));
	}
	secmem_free(copy);
	free(picks);
	free(env.entries);
	environ_drop(ps, taken);
	free(taken);
}

static void
write_stats_locked(const struct redact_stats *dest, const struct pattern_set *ps,
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
	if (dest->path != NULL &&
	    atomic_replace(dest->path, text, strlen(text)) != 0)
		err(EXIT_FAIL, "stats %s", printable(dest->path));
	if (dest->path == NULL &&
	    write_full(dest->fd, text, strlen(text)) != 0)
		err(EXIT_FAIL, "stats");
	free(text);
	json_decref(root);
}

/* Threads of redactor_streams_mask() share the set and its list of
 * unmasked names, whose reference count json_object_set() changes. */
static void
write_stats(const struct redact_stats *dest, const struct pattern_set *ps,
            const struct masker *m, json_t *unmasked)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

	pthread_mutex_lock(&lock);
	write_stats_locked(dest, ps, m, unmasked);
	pthread_mutex_unlock(&lock);
}

/* Fewer, larger reads and writes on pipes; a refusal only costs speed. */
static void
pipes_widen(int in, int out)
{
	(void)fcntl(in, F_SETPIPE_SZ, PIPE_SIZE);
	(void)fcntl(out, F_SETPIPE_SZ, PIPE_SIZE);
}

/*
 * The image's sections: what load said (its notes and unmasked names,
 * JSON), the set, its automaton, the views. A writer without a buffer
 * only counts.
 */
static void
image_sections(const struct redactor *r, const char *said,
               struct image_writer *w)
{
	size_t n = strlen(said);

	image_put_u64(w, n);
	image_put(w, said, n + 1);
	patterns_image_put(r->ps, w);
	automaton_image_put(r->a, w);
	views_image_put(r->views, w);
}

/* Keep what was built as an image for the next load of the same values,
 * unless it would be larger than IMAGE_MAX. */
static void
image_save(const struct redactor *r, struct image_file *f)
{
	json_t *root =
	    json_pack("{sOsO}", "notes", r->notes, "unmasked", r->unmasked);
	char *said = root != NULL ? json_dumps(root, JSON_COMPACT) : NULL;
	struct image_writer w = {NULL, 0, 0};

	json_decref(root);
	if (said == NULL)
		return;
	image_sections(r, said, &w);
	if (w.len <= IMAGE_MAX) {
		w.cap = w.len;
		w.len = 0;
		w.buf = secmem_alloc(w.cap);
		image_sections(r, said, &w);
		image_file_write(f, w.buf, w.len);
		secmem_free(w.buf);
	}
	free(said);
}

/* What an image holds, in place of building it; false when it does not
 * read as image_sections() wrote it. */
static bool
image_load(struct redactor *r, struct image_file *f)
{
	size_t len;
	unsigned char *block = image_file_read(f, &len);
	struct image_reader in = {block, len, 0, false};
	json_t *root = NULL, *notes, *unmasked;
	const char *said;
	size_t n, i;

	if (block == NULL)
		return false;
	n = image_get_u64(&in);
	said = n < len ? image_get(&in, n + 1) : NULL;
	if (said == NULL || memchr(said, '\0', n + 1) != said + n ||
	    (root = json_loads(said, 0, NULL)) == NULL ||
	    !json_is_array(notes = json_object_get(root, "notes")) ||
	    !json_is_array(unmasked = json_object_get(root, "unmasked")) ||
	    (r->ps = patterns_image_get(&in)) == NULL ||
	    (r->a = automaton_image_get(&in, r->ps)) == NULL ||
	    (r->views = views_image_get(&in, r->ps, r->a)) == NULL ||
	    in.at != len) {
		views_free(r->views);
		automaton_free(r->a);
		patterns_free(r->ps);
		r->views = NULL;
		r->a = NULL;
		r->ps = NULL;
		json_decref(root);
		secmem_free(block);
		return false;
	}
	for (i = 0; i < json_array_size(notes); i++)
		if (json_is_string(json_array_get(notes, i)))
			warnx("%s",
			      json_string_value(json_array_get(notes, i)));
	json_array_extend(r->notes, notes);
	json_array_extend(r->unmasked, unmasked);
	json_decref(root);
	r->image = block;
	return true;
}

/* The patterns, automaton and views of what o names, built. */
static void
build(struct redactor *r, const struct redact_load *o,
      const struct secretset *set)
{
	r->ps = patterns_new(o->min_length, o->encodings);
	if (o->detect)
		patterns_add_detectors(r->ps);
	r->views = views_new(r->ps);
	if (o->env_names != NULL)
		load_env(r, o->env_names);
	if (set != NULL)
		load_set(r, set);
	patterns_seal(r->ps);
	r->ps->drop_bytes = true;
	r->a = automaton_build(r->ps);
	views_build(r->views, r->a);
}

struct redactor *
redactor_load(const struct redact_load *o)
{
	struct redactor *r = calloc(1, sizeof(*r));
	struct secretset *set = NULL;
	struct image_file f = {0};

	if (r == NULL || (r->unmasked = json_array()) == NULL ||
	    (r->notes = json_array()) == NULL)
		err(EXIT_FAIL, "memory");
	r->format = o->format;
	if (o->blob != NULL)
		set = blob_load(o->blob, NULL, NULL);
	/* A blob's values alone, the same as an image's: no building. */
	if (set != NULL && o->env_names == NULL)
		image_file_begin(&f, set, o->min_length, o->encodings,
		                 o->detect);
	if (!image_load(r, &f)) {
		build(r, o, set);
		image_save(r, &f);
	}
	image_file_end(&f);
	secretset_free(set);
	return r;
}

/* Both buffers at full size: the stream is a busy one. Locked memory
 * costs a page fault and a zeroing per page, so a run that prints a
 * line never pays for 512 KiB of it. */
static void
buffers_widen(struct writer *w, unsigned char **in, size_t *in_cap)
{
	secmem_free(*in);
	*in = secmem_alloc(READ_SIZE);
	*in_cap = READ_SIZE;
	secmem_free(w->buf);
	w->buf = secmem_alloc(WRITE_SIZE);
	w->cap = WRITE_SIZE;
}

/* Whether in_fd has input, or its end, within IDLE_MS. */
static bool
input_comes(int in_fd)
{
	struct pollfd p = {in_fd, POLLIN, 0};
	int n;

	while ((n = poll(&p, 1, IDLE_MS)) < 0 && errno == EINTR)
		;
	return n != 0; /* an error: the read says which */
}

/* One stream's masking: its buffers, masker and views, made before its
 * input comes (stream_ready) and freed after its end (stream_free). */
struct stream_run {
	const struct redactor *r;
	struct writer w; /* the masker's sink: it does not move */
	unsigned char *in;
	size_t in_cap;
	struct masker *m;
	struct view_stream *views;
	int in_fd;
	const struct redact_stats *stats;
};

static void
stream_ready(struct stream_run *st, const struct redactor *r, int in_fd,
             int out_fd, const struct redact_stats *stats)
{
	*st = (struct stream_run){
	    r,
	    {secmem_alloc(SMALL_SIZE), 0, SMALL_SIZE, out_fd, 0},
	    secmem_alloc(SMALL_SIZE),
	    SMALL_SIZE,
	    NULL,
	    NULL,
	    in_fd,
	    stats};
	st->m = masker_new(r->a, r->ps, r->format, writer_put, &st->w);
	st->views = view_stream_new(r->views, st->m);
	pipes_widen(in_fd, out_fd);
}

/*
 * The stream's input to its output through its masker until EOF, then
 * the counts to its stats. 0; 1 when the reader went away (EPIPE: the
 * counts are still written); -1 after a message when a read or write
 * failed.
 */
static int
stream_mask(struct stream_run *st)
{
	struct writer *w = &st->w;
	int result = 0;

	for (;;) {
		ssize_t n;

		if ((view_stream_holding(st->views) || masker_holding(st->m)) &&
		    !input_comes(st->in_fd)) {
			view_stream_idle(st->views);
			masker_idle(st->m);
			writer_flush(w);
			if (w->error != 0)
				break;
		}
		n = read(st->in_fd, st->in, st->in_cap);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			warn("read standard input");
			result = -1;
			break;
		}
		if (n == 0) {
			view_stream_finish(st->views);
			masker_finish(st->m);
			writer_flush(w);
			break;
		}
		view_stream_feed(st->views, st->in, (size_t)n);
		writer_flush(w);
		if (w->error != 0)
			break;
		/* the writer is empty and the input consumed: no copy */
		if ((size_t)n == st->in_cap && st->in_cap < READ_SIZE)
			buffers_widen(w, &st->in, &st->in_cap);
	}
	if (w->error == EPIPE) {
		result = 1;
	} else if (w->error != 0) {
		errno = w->error;
		warn("write standard output");
		result = -1;
	}
	if (result >= 0 && st->stats != NULL)
		write_stats(st->stats, st->r->ps, st->m, st->r->unmasked);
	return result;
}

static void
stream_free(struct stream_run *st)
{
	view_stream_free(st->views);
	masker_free(st->m);
	secmem_free(st->in);
	secmem_free(st->w.buf);
}

void
redactor_mask(const struct redactor *r, int in_fd, int out_fd,
              const struct redact_stats *stats)
{
	/* A reader that goes away ends us by SIGPIPE, as it ends cat; with
	 * SIGPIPE ignored, it is a failure to write, said as such. */
	struct stream_run st;
	int result;

	stream_ready(&st, r, in_fd, out_fd, stats);
	result = stream_mask(&st);
	stream_free(&st);

	if (result == 1) {
		errno = EPIPE;
		warn("write standard output");
	}
	if (result != 0)
		exit(EXIT_FAIL);
}

struct redact_streams {
	struct redact_stream *s;
	size_t n;
	struct stream_run *runs;
	pthread_t *threads;
};

struct redact_streams *
redactor_streams_ready(const struct redactor *r, struct redact_stream *s,
                       size_t n)
{
	struct redact_streams *rs = calloc(1, sizeof(*rs));

	if (rs == NULL || (rs->runs = calloc(n, sizeof(*rs->runs))) == NULL ||
	    (rs->threads = calloc(n, sizeof(*rs->threads))) == NULL)
		err(EXIT_FAIL, "memory");
	rs->s = s;
	rs->n = n;
	for (size_t i = 0; i < n; i++)
		stream_ready(&rs->runs[i], r, s[i].in_fd, s[i].out_fd,
		             s[i].stats);
	return rs;
}

static void *
stream_main(void *arg)
{
	struct stream_run *st = arg;
	int result = stream_mask(st);

	/* A reader gone, or output that failed: the writer of our input
	 * sees EPIPE, as it would had a redact of its own died, instead of
	 * blocking once the pipe is full. */
	if (result != 0)
		close(st->in_fd);
	return (void *)(intptr_t)result;
}

int
redactor_streams_mask(struct redact_streams *rs)
{
	int status = EXIT_OK;
	void *result;

	signal(SIGPIPE, SIG_IGN);
	for (size_t i = 1; i < rs->n; i++)
		if (pthread_create(&rs->threads[i], NULL, stream_main,
		                   &rs->runs[i]) != 0)
			errx(EXIT_FAIL, "cannot start a thread");
	for (size_t i = 0; i < rs->n; i++) {
		if (i == 0)
			result = stream_main(&rs->runs[0]);
		else
			pthread_join(rs->threads[i], &result);
		rs->s[i].result = (int)(intptr_t)result;
		if (rs->s[i].result < 0)
			status = EXIT_FAIL;
	}
	return status;
}

void
redactor_streams_free(struct redact_streams *rs)
{
	if (rs == NULL)
		return;
	for (size_t i = 0; i < rs->n; i++)
		stream_free(&rs->runs[i]);
	free(rs->runs);
	free(rs->threads);
	free(rs);
}

/* The masked text grows in ordinary memory: it holds no value. */
struct text_sink {
	char *buf;
	size_t len, cap;
};

static void
text_put(void *ctx, const unsigned char *p, size_t n)
{
	struct text_sink *t = ctx;

	if (t->len + n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 256;

		while (cap < t->len + n + 1)
			cap *= 2;
		t->buf = realloc(t->buf, cap);
		if (t->buf == NULL)
			err(EXIT_FAIL, "memory");
		t->cap = cap;
	}
	memcpy(t->buf + t->len, p, n);
	t->len += n;
	t->buf[t->len] = '\0';
}

char *
redactor_mask_text(const struct redactor *r, const void *text, size_t len,
                   size_t *out_len)
{
	struct text_sink t = {NULL, 0, 0};
	struct masker *m = masker_new(r->a, r->ps, r->format, text_put, &t);

	text_put(&t, (const unsigned char *)"", 0);
	masker_feed(m, text, len);
	masker_finish(m);
	masker_free(m);
	*out_len = t.len;
	return t.buf;
}

void
redactor_free(struct redactor *r)
{
	if (r == NULL)
		return;
	views_free(r->views);
	automaton_free(r->a);
	patterns_free(r->ps);
	secmem_free(r->image);
	json_decref(r->unmasked);
	json_decref(r->notes);
	free(r);
}

