/* SPDX-License-Identifier: ISC */
/* The one pass over the audit chain behind report and alerts: every file
 * oldest first, each record counted into the views, while auditlog verify
 * checks the same chain in a child. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "auditlog.h"
#include "exitcodes.h"
#include "survey.h"
#include "util.h"

#define LINE_CAP (2 * (size_t)RECORD_MAX)
#define READ_CHUNK (1u << 20)
#define VERDICT_MAX (64u * 1024)
#define CHAIN_FILES_MAX 100000

static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* n decimal digits at s; -1 when any is not a digit. */
static long
digits(const char *s, int n)
{
	long v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* An RFC 3339 UTC time as the log writes it, or a prefix of one. */
static bool
parse_stamp(const char *s, int64_t *ms)
{
	size_t len = strlen(s);
	long y, mo, d, h = 0, mi = 0, sec = 0, milli = 0;

	if (len < 10 || s[4] != '-' || s[7] != '-')
		return false;
	y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2);
	if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31)
		return false;
	s += 10;
	if (*s == 'T' || *s == ' ') {
		if (strlen(s) < 6 || s[3] != ':')
			return false;
		h = digits(s + 1, 2), mi = digits(s + 4, 2);
		s += 6;
		if (*s == ':') {
			sec = digits(s + 1, 2);
			s += 3;
			if (*s == '.') {
				milli = digits(s + 1, 3);
				s += 4;
			}
		}
	}
	if (*s == 'Z')
		s++;
	if (*s != '\0' || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 ||
	    sec > 60 || milli < 0)
		return false;
	*ms = ((days_from_civil(y, (unsigned)mo, (unsigned)d) * 24 + h) * 60 +
	       mi) * 60000 +
	      sec * 1000 + milli;
	return true;
}

bool
survey_parse_time(const char *s, int64_t now, int64_t *ms)
{
	size_t len = strlen(s);
	uint64_t n;
	char unit, number[24];

	if (parse_stamp(s, ms))
		return true;
	if (len < 2 || len > sizeof number)
		return false;
	unit = s[len - 1];
	memcpy(number, s, len - 1);
	number[len - 1] = '\0';
	if (!parse_u64(number, &n) || n > 100000)
		return false;
	switch (unit) {
	case 'm':
		n *= 60000;
		break;
	case 'h':
		n *= 3600000;
		break;
	case 'd':
		n *= 86400000;
		break;
	default:
		return false;
	}
	*ms = now - (int64_t)n;
	return true;
}

static uint32_t
hash_text(const char *s, uint32_t seed)
{
	uint32_t h = 2166136261u ^ seed;

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static void *
grow(void *p, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap ? *cap : 16;

	if (need <= *cap)
		return p;
	while (n < need)
		n *= 2;
	p = realloc(p, n * size);
	if (p == NULL)
		err(EXIT_FAIL, "report");
	memset((char *)p + *cap * size, 0, (n - *cap) * size);
	*cap = n;
	return p;
}

/* Open-addressing index over the projects and the secret cells. */
struct index {
	uint32_t *slot; /* entry + 1, 0 empty */
	size_t size;
};

static uint32_t *
index_find(struct index *ix, uint32_t h, bool (*same)(void *, uint32_t),
           void *ctx)
{
	size_t i = h & (ix->size - 1);

	while (ix->slot[i] != 0 && !same(ctx, ix->slot[i] - 1))
		i = (i + 1) & (ix->size - 1);
	return &ix->slot[i];
}

static struct index project_index, secret_index;
static size_t project_cap, secret_cap, hour_cap;

struct key {
	struct survey *s;
	uint32_t project;
	const char *name;
};

static bool
same_project(void *ctx, uint32_t i)
{
	struct key *k = ctx;

	return strcmp(k->s->projects[i].name, k->name) == 0;
}

static bool
same_secret(void *ctx, uint32_t i)
{
	struct key *k = ctx;

	return k->s->secrets[i].project == k->project &&
	       strcmp(k->s->secrets[i].name, k->name) == 0;
}

static void
cut_copy(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (n >= size) {
		n = size - 1;
		/* whole UTF-8 characters only */
		while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static struct project_stats *
project_of(struct survey *s, const char *name)
{
	struct key k = {s, 0, name};
	uint32_t *slot;

	slot = index_find(&project_index, hash_text(name, 0), same_project, &k);
	if (*slot != 0)
		return &s->projects[*slot - 1];
	if (s->project_count == SURVEY_PROJECTS_MAX)
		errx(EXIT_FAIL, "report: more than %d projects",
		     SURVEY_PROJECTS_MAX);
	s->projects = grow(s->projects, &project_cap, s->project_count + 1,
	                   sizeof *s->projects);
	cut_copy(s->projects[s->project_count].name,
	         sizeof s->projects[0].name, name);
	s->projects[s->project_count].burst_alerted_until = INT64_MIN;
	s->projects[s->project_count].rate_hour = INT64_MIN;
	*slot = (uint32_t)++s->project_count;
	return &s->projects[s->project_count - 1];
}

static struct secret_cell *
secret_of(struct survey *s, uint32_t project, const char *name)
{
	struct key k = {s, project, name};
	uint32_t *slot;

	slot = index_find(&secret_index, hash_text(name, project), same_secret,
	                  &k);
	if (*slot != 0)
		return &s->secrets[*slot - 1];
	if (s->secret_count == SURVEY_SECRETS_MAX)
		return NULL; /* counted no further; the page says so */
	s->secrets = grow(s->secrets, &secret_cap, s->secret_count + 1,
	                  sizeof *s->secrets);
	s->secrets[s->secret_count].project = project;
	cut_copy(s->secrets[s->secret_count].name, sizeof s->secrets[0].name,
	         name);
	*slot = (uint32_t)++s->secret_count;
	return &s->secrets[s->secret_count - 1];
}

static const char *
text_field(json_t *rec, const char *name)
{
	const char *v = json_string_value(json_object_get(rec, name));

	return v != NULL ? v : "";
}

static void
count_hour(struct survey *s, int64_t t, int what)
{
	int64_t h = t >= 0 ? t / 3600000 : (t - 3599999) / 3600000;
	size_t i;

	if (s->hour_count == 0)
		s->first_hour = h;
	if (h < s->first_hour)
		h = s->first_hour; /* a clock stepped back: the first hour */
	if (h - s->first_hour >= SURVEY_HOURS_MAX)
		h = s->first_hour + SURVEY_HOURS_MAX - 1;
	i = (size_t)(h - s->first_hour);
	if (i >= s->hour_count) {
		s->hours = grow(s->hours, &hour_cap, i + 1, sizeof *s->hours);
		s->hour_count = i + 1;
	}
	if (what == 0)
		s->hours[i].runs++;
	else if (what == 1)
		s->hours[i].refusals++;
	else
		s->hours[i].errors++;
}

static void
count_denial(struct survey *s, json_t *rec)
{
	const char *reason = text_field(rec, "reason");
	const char *command = text_field(rec, "command");
	const char *path = text_field(rec, "path");
	struct denial_group *g = NULL;
	char reason_cut[SURVEY_TEXT_CUT + 1];

	cut_copy(reason_cut, sizeof reason_cut, reason);
	for (size_t i = 0; i < s->denial_count; i++)
		if (strcmp(s->denials[i].reason, reason_cut) == 0) {
			g = &s->denials[i];
			break;
		}
	if (g == NULL) {
		if (s->denial_count == SURVEY_REASONS_MAX) {
			s->denials_other++;
			return;
		}
		g = &s->denials[s->denial_count++];
		memcpy(g->reason, reason_cut, sizeof reason_cut);
	}
	g->count++;
	if (*command == '\0' && *path != '\0') {
		char *read = xasprintf("read %s", path);

		cut_copy(g->examples[g->example_next], SURVEY_TEXT_CUT + 1,
		         read);
		free(read);
	} else {
		cut_copy(g->examples[g->example_next], SURVEY_TEXT_CUT + 1,
		         command);
	}
	g->example_next = (g->example_next + 1) % SURVEY_EXAMPLES;
	if (g->example_count < SURVEY_EXAMPLES)
		g->example_count++;
}

static void
count_change(struct survey *s, uint32_t project, const char *event,
             const char *time, json_t *rec)
{
	struct change *c = &s->changes[s->change_next];
	json_t *names = json_object_get(rec, "secrets");
	size_t used = 0, i;
	json_t *name;

	memset(c, 0, sizeof *c);
	cut_copy(c->time, sizeof c->time, time);
	cut_copy(c->event, sizeof c->event, event);
	cut_copy(c->project, sizeof c->project, s->projects[project].name);
	json_array_foreach(names, i, name)
	{
		const char *n = json_string_value(name);
		struct secret_cell *cell;

		if (n == NULL)
			continue;
		if (used + strlen(n) + 3 < sizeof c->detail)
			used += (size_t)snprintf(c->detail + used,
			                         sizeof c->detail - used, "%s%s",
			                         used ? ", " : "", n);
		else if (used + 4 < sizeof c->detail)
			used += (size_t)snprintf(c->detail + used,
			                         sizeof c->detail - used, "...");
		cell = secret_of(s, project, n);
		if (cell != NULL) {
			cut_copy(cell->changed, sizeof cell->changed, time);
			cut_copy(cell->change_event, sizeof cell->change_event,
			         event);
		}
	}
	s->change_next = (s->change_next + 1) % SURVEY_CHANGES_MAX;
	if (s->change_count < SURVEY_CHANGES_MAX)
		s->change_count++;
	s->changes_total++;
}

static void
count_run(struct survey *s, uint32_t project, json_t *rec)
{
	json_t *names = json_object_get(rec, "secrets");
	json_t *masks = json_object_get(rec, "masks");
	const char *key;
	json_t *v;
	size_t i;

	json_array_foreach(names, i, v)
	{
		struct secret_cell *cell;

		if (json_is_string(v) &&
		    (cell = secret_of(s, project, json_string_value(v))) != NULL)
			cell->injected++;
	}
	json_object_foreach(masks, key, v)
	{
		struct secret_cell *cell;

		if (json_is_integer(v) && json_integer_value(v) > 0 &&
		    (cell = secret_of(s, project, key)) != NULL)
			cell->masks += (uint64_t)json_integer_value(v);
	}
}

static bool
is_change(const char *event)
{
	static const char *const changes[] = {"init",   "set",      "import",
	                                      "rm",     "revoke",   "unrevoke",
	                                      "rotate-key", NULL};

	for (size_t i = 0; changes[i] != NULL; i++)
		if (strcmp(event, changes[i]) == 0)
			return true;
	return false;
}

/* One record of the log. */
static void
survey_record(struct survey *s, json_t *rec)
{
	const char *event = text_field(rec, "event");
	const char *time = text_field(rec, "time");
	const char *project = text_field(rec, "project");
	struct project_stats *p;
	uint32_t pi;
	int64_t t;

	if (!parse_stamp(time, &t)) {
		s->unreadable++;
		return;
	}
	if (t < s->since || t >= s->until)
		return;
	if (s->project != NULL && strcmp(project, s->project) != 0)
		return;
	if (*project == '\0')
		project = "(none)";
	if (strcmp(event, "rotate") == 0 || strcmp(event, "rotated") == 0)
		return; /* the log's own file boundaries */
	/* An owner's change is written ahead (intent) and closed by its
	 * outcome: the outcome counts, and only a change that was made. */
	if (json_object_get(rec, "intent") != NULL ||
	    (json_object_get(rec, "outcome_of") != NULL &&
	     json_integer_value(json_object_get(rec, "status")) != 0))
		return;
	s->in_range++;
	if (s->first_time[0] == '\0')
		cut_copy(s->first_time, sizeof s->first_time, time);
	cut_copy(s->last_time, sizeof s->last_time, time);
	p = project_of(s, project);
	pi = (uint32_t)(p - s->projects);
	alerts_record(s, p, event, t, time, rec);
	if (strcmp(event, "run") == 0) {
		json_t *exit_status = json_object_get(rec, "exit");

		p->runs++;
		count_hour(s, t, 0);
		if (json_is_true(json_object_get(rec, "timed_out")) ||
		    json_integer_value(exit_status) == EXIT_TIMEOUT)
			p->timeouts++;
		count_run(s, pi, rec);
	} else if (strcmp(event, "read") == 0) {
		p->reads++;
		count_run(s, pi, rec);
	} else if (strcmp(event, "blocked") == 0) {
		p->refusals++;
		count_hour(s, t, 1);
		count_denial(s, rec);
	} else if (strcmp(event, "error") == 0) {
		p->errors++;
		count_hour(s, t, 2);
	} else if (is_change(event)) {
		if (strcmp(event, "revoke") == 0)
			p->revocations++;
		count_change(s, pi, event, time, rec);
	} else {
		p->other++;
	}
}

/* The file this one continues, from its first record; NULL when none
 * or missing (verify says so). */
static char *
predecessor(const char *path)
{
	char buf[RECORD_MAX], *prev = NULL, *slash;
	json_t *first;
	const char *name;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	n = read_full(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	if ((slash = memchr(buf, '\n', (size_t)n)) != NULL)
		*slash = '\0';
	first = json_loads(buf, 0, NULL);
	name = text_field(first, "previous_file");
	if (strcmp(text_field(first, "event"), "rotated") == 0 && *name &&
	    strchr(name, '/') == NULL) {
		slash = strrchr(path, '/');
		prev = slash != NULL
		           ? xasprintf("%.*s/%s", (int)(slash - path), path, name)
		           : xstrdup(name);
		if (access(prev, F_OK) != 0) {
			free(prev);
			prev = NULL;
		}
	}
	json_decref(first);
	return prev;
}

static void
chain_files(struct survey *s, const char *log)
{
	char *at = xstrdup(log);
	size_t cap = 0;

	while (at != NULL && s->file_count < CHAIN_FILES_MAX) {
		s->files = grow(s->files, &cap, s->file_count + 1,
		                sizeof *s->files);
		s->files[s->file_count++].path = at;
		at = predecessor(at);
	}
	free(at);
	for (size_t i = 0; i < s->file_count / 2; i++) {
		struct survey_file t = s->files[i];

		s->files[i] = s->files[s->file_count - 1 - i];
		s->files[s->file_count - 1 - i] = t;
	}
}

static void
survey_line(struct survey *s, struct survey_file *f, const char *line,
            size_t len)
{
	json_t *rec = json_loadb(line, len, 0, NULL);
	json_t *seq;

	if (!json_is_object(rec)) {
		s->unreadable++;
		json_decref(rec);
		return;
	}
	seq = json_object_get(rec, "seq");
	if (json_is_integer(seq)) {
		if (f->records == 0)
			f->first_seq = (uint64_t)json_integer_value(seq);
		f->last_seq = (uint64_t)json_integer_value(seq);
	}
	f->records++;
	s->records++;
	survey_record(s, rec);
	json_decref(rec);
}

/* Every line of one file, each at most LINE_CAP bytes (a longer one is
 * unreadable and skipped). */
static void
survey_file(struct survey *s, struct survey_file *f)
{
	char *buf = malloc(LINE_CAP + READ_CHUNK);
	size_t have = 0;
	bool skipping = false;
	int fd = open(f->path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (buf == NULL)
		err(EXIT_FAIL, "report");
	if (fd < 0)
		err(EXIT_FAIL, "%s", printable(f->path));
	for (;;) {
		ssize_t n = read(fd, buf + have, LINE_CAP + READ_CHUNK - have);
		size_t start = 0;
		char *nl;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			err(EXIT_FAIL, "%s", printable(f->path));
		if (n == 0)
			break;
		have += (size_t)n;
		while ((nl = memchr(buf + start, '\n', have - start)) != NULL) {
			size_t len = (size_t)(nl - (buf + start));

			if (!skipping)
				survey_line(s, f, buf + start, len);
			skipping = false;
			start += len + 1;
		}
		memmove(buf, buf + start, have - start);
		have -= start;
		if (have >= LINE_CAP) {
			s->unreadable += !skipping;
			skipping = true;
			have = 0;
		}
	}
	f->torn = have > 0 && !skipping;
	close(fd);
	free(buf);
}

/* auditlog verify of the same chain, its two streams into one pipe. */
static pid_t
verify_start(const char *log, const char *key_path, int *out)
{
	struct auditlog_options o = {.file = log, .key_path = key_path, .sync = true};
	int fds[2], status;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) != 0)
		err(EXIT_FAIL, "pipe");
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		err(EXIT_FAIL, "fork");
	if (pid == 0) {
		if (dup2(fds[1], STDOUT_FILENO) < 0 ||
		    dup2(fds[1], STDERR_FILENO) < 0)
			_exit(EXIT_FAIL);
		status = verify_main(&o);
		fflush(NULL);
		_exit(status);
	}
	close(fds[1]);
	*out = fds[0];
	return pid;
}

static void
verify_finish(struct survey *s, pid_t pid, int fd)
{
	char *text = xcalloc(1, VERDICT_MAX + 1);
	size_t len = 0;
	int status;

	for (;;) {
		char sink[4096];
		ssize_t n = len < VERDICT_MAX
		                ? read(fd, text + len, VERDICT_MAX - len)
		                : read(fd, sink, sizeof sink);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (len < VERDICT_MAX)
			len += (size_t)n;
	}
	close(fd);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			err(EXIT_FAIL, "waitpid");
	while (len > 0 && text[len - 1] == '\n')
		text[--len] = '\0';
	s->verdict = text;
	s->sound = WIFEXITED(status) && WEXITSTATUS(status) == EXIT_OK;
	if (WIFEXITED(status) && WEXITSTATUS(status) != EXIT_OK &&
	    WEXITSTATUS(status) != EXIT_NO)
		errx(EXIT_FAIL, "cannot verify the audit log: %s",
		     len ? printable(text) : "auditlog verify failed");
	if (!s->sound && len == 0)
		errx(EXIT_FAIL, "cannot verify the audit log");
}

void
survey_run(struct survey *s, const char *log, const char *key_path)
{
	int verdict_fd;
	pid_t verifier;

	project_index.size = 2 * SURVEY_PROJECTS_MAX;
	project_index.slot = xcalloc(project_index.size, sizeof(uint32_t));
	secret_index.size = 2 * SURVEY_SECRETS_MAX;
	secret_index.slot = xcalloc(secret_index.size, sizeof(uint32_t));
	s->denials = xcalloc(SURVEY_REASONS_MAX, sizeof *s->denials);
	s->changes = xcalloc(SURVEY_CHANGES_MAX, sizeof *s->changes);
	s->findings = xcalloc(SURVEY_FINDINGS_MAX, sizeof *s->findings);
	if (access(log, F_OK) != 0)
		err(EXIT_FAIL, "%s", printable(log));
	verifier = verify_start(log, key_path, &verdict_fd);
	chain_files(s, log);
	for (size_t i = 0; i < s->file_count; i++)
		survey_file(s, &s->files[i]);
	verify_finish(s, verifier, verdict_fd);
	if (!s->sound) {
		const char *nl = strchr(s->verdict, '\n');
		char first[200];

		snprintf(first, sizeof first, "%.*s",
		         nl != NULL ? (int)(nl - s->verdict) : 199, s->verdict);
		alerts_add(s, INT64_MAX, s->last_time, "", "chain-unsound",
		           "the audit chain does not verify: %s", first);
	}
}

void
survey_free(struct survey *s)
{
	for (size_t i = 0; i < s->file_count; i++)
		free(s->files[i].path);
	free(s->files);
	free(s->projects);
	free(s->secrets);
	free(s->hours);
	free(s->denials);
	free(s->changes);
	free(s->findings);
	free(s->verdict);
	free(project_index.slot);
	free(secret_index.slot);
	memset(&project_index, 0, sizeof project_index);
	memset(&secret_index, 0, sizeof secret_index);
	project_cap = secret_cap = hour_cap = 0;
}
