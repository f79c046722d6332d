/* SPDX-License-Identifier: ISC */
/* The exec:PATH backend: any helper program that speaks JSON on stdout. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "backend.h"
#include "exitcodes.h"
#include "names.h"
#include "secjson.h"
#include "secmem.h"
#include "util.h"

#define ANSWER_MAX (16u * 1024 * 1024)
#define DEFAULT_TIMEOUT_S 120
#define HELPER_NOT_FOUND 3   /* rm: no such name */
#define HELPER_UNSUPPORTED 4 /* the helper does not do this verb */
#define HELPER_DENIED 5      /* the vault refused the helper's credentials */

struct exec_helper {
	char *path;
	long timeout_ms;
};

/* What one run of the helper gave. */
struct helper_run {
	unsigned char *out; /* secure memory, NUL-terminated */
	size_t len;
	int status; /* exit status, or -1 */
	int signal; /* killing signal, or 0 */
	bool timed_out;
	bool too_large;
};

static void
out_append(struct helper_run *r, size_t *cap, const unsigned char *buf,
           size_t n)
{
	if (r->len + n + 1 > *cap) {
		size_t ncap = *cap ? *cap : 8192;
		unsigned char *nbuf;

		while (ncap < r->len + n + 1)
			ncap *= 2;
		nbuf = secmem_alloc(ncap);
		if (r->len)
			memcpy(nbuf, r->out, r->len);
		secmem_free(r->out);
		r->out = nbuf;
		*cap = ncap;
	}
	memcpy(r->out + r->len, buf, n);
	r->len += n;
	r->out[r->len] = '\0';
}

static pid_t
spawn(const struct exec_helper *h, char *const argv[], int in_fd, int out_fd)
{
	pid_t pid = fork();

	if (pid < 0)
		err(EXIT_FAIL, "exec: fork");
	if (pid == 0) {
		signal(SIGPIPE, SIG_DFL);
		if (dup2(in_fd, STDIN_FILENO) < 0 ||
		    dup2(out_fd, STDOUT_FILENO) < 0)
			_exit(EXIT_NOEXEC);
		if (in_fd > STDERR_FILENO)
			close(in_fd);
		if (out_fd > STDERR_FILENO)
			close(out_fd);
		execv(h->path, argv);
		warn("exec: %s", h->path);
		_exit(errno == ENOENT ? EXIT_NOTFOUND : EXIT_NOEXEC);
	}
	return pid;
}

/* Feed input (may be a value) to the helper's stdin, collect its stdout
 * into secure memory, within the time limit. Its stderr is ours. */
static void
pump(uint64_t deadline, pid_t pid, int in_fd, int out_fd,
     const unsigned char *input, size_t input_len, struct helper_run *r)
{
	size_t cap = 0, sent = 0;
	unsigned char buf[8192];

	if (in_fd >= 0 && input_len == 0) {
		close(in_fd);
		in_fd = -1;
	}
	while (out_fd >= 0) {
		struct pollfd p[2] = {{out_fd, POLLIN, 0}, {in_fd, POLLOUT, 0}};
		uint64_t now = monotonic_ms();
		ssize_t n;

		if (now >= deadline) {
			r->timed_out = true;
			kill(pid, SIGKILL);
			break;
		}
		if (poll(p, in_fd >= 0 ? 2 : 1, (int)(deadline - now)) < 0) {
			if (errno == EINTR)
				continue;
			err(EXIT_FAIL, "exec: poll");
		}
		if (in_fd >= 0 &&
		    (p[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
			n = write(in_fd, input + sent, input_len - sent);
			if (n > 0)
				sent += (size_t)n;
			if ((n < 0 && errno != EINTR && errno != EAGAIN) ||
			    sent == input_len) {
				close(in_fd);
				in_fd = -1;
			}
		}
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			n = read(out_fd, buf, sizeof(buf));
			if (n < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (n <= 0) {
				close(out_fd);
				out_fd = -1;
				break;
			}
			if (r->len + (size_t)n > ANSWER_MAX) {
				r->too_large = true;
				kill(pid, SIGKILL);
				break;
			}
			out_append(r, &cap, buf, (size_t)n);
		}
	}
	sodium_memzero(buf, sizeof(buf));
	if (in_fd >= 0)
		close(in_fd);
	if (out_fd >= 0)
		close(out_fd);
}

/* Wait for the helper's exit, within the same deadline: one that
 * closed its stdout but lingers is killed too. */
static void
reap(pid_t pid, uint64_t deadline, struct helper_run *r, int *wstatus)
{
	for (;;) {
		pid_t got = waitpid(pid, wstatus, WNOHANG);

		if (got == pid)
			return;
		if (got < 0 && errno != EINTR)
			err(EXIT_FAIL, "exec: waitpid");
		if (got == 0 && monotonic_ms() >= deadline && !r->timed_out) {
			r->timed_out = true;
			kill(pid, SIGKILL);
		}
		if (got == 0) {
			struct timespec ts = {0, 5 * 1000000L};

			nanosleep(&ts, NULL);
		}
	}
}

/*
 * Run HELPER VERB PROJECT [NAME] with input on its stdin (or
 * /dev/null). EXIT_OK when it ran to an exit (any status, in r);
 * EXIT_FAIL after a message when it timed out, was killed or said too
 * much.
 */
static int
helper_run(const struct exec_helper *h, const char *verb, const char *project,
           const char *name, const unsigned char *input, size_t input_len,
           struct helper_run *r)
{
	char *argv[] = {h->path, (char *)verb, (char *)project, (char *)name,
	                NULL};
	int out[2], in[2] = {-1, -1}, wstatus;
	uint64_t deadline;
	struct sigaction ignore = {.sa_handler = SIG_IGN}, old;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	r->status = -1;
	if (pipe2(out, O_CLOEXEC) != 0)
		err(EXIT_FAIL, "exec: pipe");
	if (input != NULL) {
		if (pipe2(in, O_CLOEXEC) != 0)
			err(EXIT_FAIL, "exec: pipe");
	} else if ((in[0] = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0) {
		err(EXIT_FAIL, "exec: /dev/null");
	}
	/* A helper that exits without reading its stdin must not kill us. */
	sigaction(SIGPIPE, &ignore, &old);
	deadline = monotonic_ms() + (uint64_t)h->timeout_ms;
	pid = spawn(h, argv, in[0], out[1]);
	close(in[0]);
	close(out[1]);
	pump(deadline, pid, in[1], out[0], input, input_len, r);
	reap(pid, deadline, r, &wstatus);
	sigaction(SIGPIPE, &old, NULL);
	if (r->timed_out) {
		warnx("exec: %s %s: did not finish within %ld s "
		      "(SECENV_EXEC_TIMEOUT)",
		      printable(h->path), verb, h->timeout_ms / 1000);
		return EXIT_FAIL;
	}
	if (r->too_large) {
		warnx("exec: %s %s: answer over %u bytes", printable(h->path),
		      verb, ANSWER_MAX);
		return EXIT_FAIL;
	}
	if (WIFSIGNALED(wstatus)) {
		warnx("exec: %s %s: killed by signal %d", printable(h->path),
		      verb, WTERMSIG(wstatus));
		return EXIT_FAIL;
	}
	r->status = WEXITSTATUS(wstatus);
	return EXIT_OK;
}

static void
helper_run_free(struct helper_run *r)
{
	secmem_free(r->out);
	r->out = NULL;
}

/* A non-zero exit: unsupported, refused credentials, or a failure. */
static int
helper_failed(struct backend *b, const char *verb, const struct helper_run *r)
{
	const struct exec_helper *h = b->state;

	if (r->status == HELPER_UNSUPPORTED) {
		warnx("exec: %s does not support %s", printable(h->path), verb);
		return EXIT_USAGE;
	}
	if (r->status == HELPER_DENIED) {
		/* as a 401/403: no cached blob may outlive the refusal */
		warnx("exec: %s %s: the vault refused the credentials",
		      printable(h->path), verb);
		b->auth_failed = 1;
		return EXIT_FAIL;
	}
	warnx("exec: %s %s: exited with status %d", printable(h->path), verb,
	      r->status);
	return EXIT_FAIL;
}

static const char *
json_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	case JSON_NULL:
		return "null";
	default:
		return "a string";
	}
}

/* The get answer: {"NAME": "value", ...}. Every refusal names the
 * problem and the name, never a value; a bad key is not quoted at all
 * (it may be a value in the wrong place). */
static int
take_answer(const struct exec_helper *h, const struct helper_run *r,
            struct secretset *out)
{
	json_t *doc, *value;
	const char *key;
	size_t index = 0;
	int rc = EXIT_OK;

	secjson_begin();
	doc = secjson_parse(r->out, r->len);
	if (doc == NULL) {
		warnx("exec: %s get: answer is not JSON", printable(h->path));
		rc = EXIT_FAIL;
	} else if (!json_is_object(doc)) {
		warnx("exec: %s get: answer is %s, not a JSON object of names "
		      "to strings",
		      printable(h->path), json_kind(doc));
		rc = EXIT_FAIL;
	}
	if (rc == EXIT_OK) {
		json_object_foreach(doc, key, value)
		{
			index++;
			if (!name_is_valid(key)) {
				warnx("exec: %s get: key %zu is not a valid "
				      "variable name",
				      printable(h->path), index);
				rc = EXIT_FAIL;
				break;
			}
			if (!json_is_string(value)) {
				warnx("exec: %s get: value of %s is %s, not a "
				      "string",
				      printable(h->path), key,
				      json_kind(value));
				rc = EXIT_FAIL;
				break;
			}
			if (secretset_add(out, key, json_string_value(value),
			                  json_string_length(value), false,
			                  0) != 0) {
				warnx("exec: %s get: value of %s %s",
				      printable(h->path), key,
				      errno == EFBIG ? "is over 64 KiB"
				                     : "holds a NUL byte");
				rc = EXIT_FAIL;
				break;
			}
		}
	}
	json_decref(doc);
	secjson_end();
	return rc;
}

static int
exec_fetch(struct backend *b, const char *project, struct secretset *out)
{
	const struct exec_helper *h = b->state;
	struct helper_run r;
	int rc = helper_run(h, "get", project, NULL, NULL, 0, &r);

	if (rc == EXIT_OK)
		rc = r.status == 0 ? take_answer(h, &r, out)
		                   : helper_failed(b, "get", &r);
	helper_run_free(&r);
	return rc;
}

static int
exec_put(struct backend *b, const char *project, const struct secretset *set)
{
	const struct exec_helper *h = b->state;

	for (size_t i = 0; i < set->count; i++) {
		const struct secret *s = &set->items[i];
		struct helper_run r;
		int rc;

		if (s->previous)
			continue;
		/* An empty value still needs a (closed) pipe, not /dev/null
		 * semantics: both read as empty, which is what we mean. */
		rc = helper_run(h, "put", project, s->name, s->value, s->len,
		                &r);
		if (rc == EXIT_OK && r.status != 0)
			rc = helper_failed(b, "put", &r);
		helper_run_free(&r);
		if (rc != EXIT_OK)
			return rc;
	}
	return EXIT_OK;
}

static int
compare_info(const void *a, const void *b)
{
	return strcmp(((const struct secret_info *)a)->name,
	              ((const struct secret_info *)b)->name);
}

static int
add_listed(const struct exec_helper *h, const char *name, size_t index,
           struct secret_info *out, size_t *n)
{
	if (name == NULL || !name_is_valid(name)) {
		warnx("exec: %s list: entry %zu is not a valid variable name",
		      printable(h->path), index);
		return EXIT_FAIL;
	}
	out[*n].name = strdup(name);
	if (out[*n].name == NULL)
		err(EXIT_FAIL, "out of memory");
	(*n)++;
	return EXIT_OK;
}

/* The list answer: ["NAME", ...] (or an object, whose keys count). */
static int
take_list(const struct exec_helper *h, const struct helper_run *r,
          struct secret_info **out, size_t *count)
{
	json_t *doc, *item;
	const char *key;
	size_t n = 0, i, total;
	int rc = EXIT_OK;

	secjson_begin();
	doc = secjson_parse(r->out, r->len);
	total = json_is_array(doc)    ? json_array_size(doc)
	        : json_is_object(doc) ? json_object_size(doc)
	                              : 0;
	*out = calloc(total ? total : 1, sizeof(**out));
	if (*out == NULL)
		err(EXIT_FAIL, "out of memory");
	if (json_is_array(doc)) {
		json_array_foreach(doc, i, item)
		{
			if ((rc = add_listed(h, json_string_value(item), i + 1,
			                     *out, &n)) != EXIT_OK)
				break;
		}
	} else if (json_is_object(doc)) {
		i = 0;
		json_object_foreach(doc, key, item)
		{
			if ((rc = add_listed(h, key, ++i, *out, &n)) != EXIT_OK)
				break;
		}
	} else {
		warnx("exec: %s list: answer is not a JSON array of names",
		      printable(h->path));
		rc = EXIT_FAIL;
	}
	json_decref(doc);
	secjson_end();
	if (rc != EXIT_OK) {
		secret_info_free(*out, n);
		*out = NULL;
		return rc;
	}
	qsort(*out, n, sizeof(**out), compare_info);
	*count = n;
	return EXIT_OK;
}

static int
exec_list(struct backend *b, const char *project, struct secret_info **out,
          size_t *count)
{
	const struct exec_helper *h = b->state;
	struct helper_run r;
	int rc = helper_run(h, "list", project, NULL, NULL, 0, &r);

	*out = NULL;
	*count = 0;
	if (rc == EXIT_OK)
		rc = r.status == 0 ? take_list(h, &r, out, count)
		                   : helper_failed(b, "list", &r);
	helper_run_free(&r);
	return rc;
}

static int
exec_rm(struct backend *b, const char *project, const char *name)
{
	const struct exec_helper *h = b->state;
	struct helper_run r;
	int rc = helper_run(h, "rm", project, name, NULL, 0, &r);

	if (rc == EXIT_OK && r.status == HELPER_NOT_FOUND) {
		warnx("exec: no secret %s in project %s", printable(name),
		      project);
		rc = EXIT_USAGE;
	} else if (rc == EXIT_OK && r.status != 0) {
		rc = helper_failed(b, "rm", &r);
	}
	helper_run_free(&r);
	return rc;
}

static void
exec_close(struct backend *b)
{
	struct exec_helper *h = b->state;

	if (h == NULL)
		return;
	free(h->path);
	free(h);
	b->state = NULL;
}

int
backend_exec_open(struct backend *b, const char *helper_path)
{
	struct exec_helper *h;
	const char *t = getenv("SECENV_EXEC_TIMEOUT");
	uint64_t timeout = DEFAULT_TIMEOUT_S;

	/* No search of PATH: the helper is the file named, nothing else. */
	if (strchr(helper_path, '/') == NULL) {
		warnx("exec: helper '%s' must be a path (./%s or an absolute "
		      "path)",
		      printable(helper_path), printable(helper_path));
		return EXIT_USAGE;
	}
	if (access(helper_path, X_OK) != 0) {
		warn("exec: helper %s", printable(helper_path));
		return EXIT_USAGE;
	}
	if (t != NULL && *t != '\0' &&
	    (!parse_u64(t, &timeout) || timeout == 0 || timeout > 86400)) {
		warnx("SECENV_EXEC_TIMEOUT: expected seconds from 1 to 86400");
		return EXIT_USAGE;
	}
	h = calloc(1, sizeof(*h));
	if (h == NULL || (h->path = strdup(helper_path)) == NULL)
		err(EXIT_FAIL, "out of memory");
	h->timeout_ms = (long)timeout * 1000;
	b->name = "exec";
	b->state = h;
	b->fetch = exec_fetch;
	b->put = exec_put;
	b->list = exec_list;
	b->rm = exec_rm;
	b->close = exec_close;
	return EXIT_OK;
}
