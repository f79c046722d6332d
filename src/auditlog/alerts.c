/* SPDX-License-Identifier: ISC */
/* The alert rules over the audit records, and their thresholds file. */
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exitcodes.h"
#include "paths.h"
#include "survey.h"
#include "util.h"

#define CONFIG_MAX (64u * 1024)
#define WEEKDAYS 0x3E /* Monday to Friday */

static const struct alert_config defaults = {
    .burst_count = 5,
    .burst_minutes = 10,
    .spike_factor = 10,
    .spike_min = 20,
    .spike_history = 5,
    .rate_per_hour = 0, /* 80% of SECENV_FETCH_LIMIT, else 120 */
    .change_hour_from = 7,
    .change_hour_to = 20,
    .change_days = WEEKDAYS,
};

static bool
parse_hours(const char *v, unsigned *from, unsigned *to)
{
	unsigned a, b;
	int used = 0;

	if (sscanf(v, "%2u-%2u%n", &a, &b, &used) != 2 || v[used] != '\0' ||
	    a > 23 || b > 24 || a >= b)
		return false;
	*from = a;
	*to = b;
	return true;
}

static bool
parse_days(const char *v, unsigned *days)
{
	static const char *const names[] = {"sun", "mon", "tue", "wed",
	                                    "thu", "fri", "sat"};
	char copy[128], *save = NULL, *word;

	if (strlen(v) >= sizeof copy)
		return false;
	strcpy(copy, v);
	*days = 0;
	for (word = strtok_r(copy, ",", &save); word != NULL;
	     word = strtok_r(NULL, ",", &save)) {
		int lo = -1, hi = -1;

		for (int d = 0; d < 7; d++) {
			if (strncmp(word, names[d], 3) == 0)
				lo = d;
			if (strlen(word) == 7 && word[3] == '-' &&
			    strcmp(word + 4, names[d]) == 0)
				hi = d;
		}
		if (lo < 0 || (strlen(word) != 3 && hi < 0))
			return false;
		if (hi < 0)
			hi = lo;
		for (int d = lo;; d = (d + 1) % 7) {
			*days |= 1u << d;
			if (d == hi)
				break;
		}
	}
	return *days != 0;
}

static bool
config_set(struct alert_config *c, const char *key, const char *value)
{
	struct {
		const char *key;
		uint64_t *field;
	} numbers[] = {
	    {"refusal_burst_count", &c->burst_count},
	    {"refusal_burst_minutes", &c->burst_minutes},
	    {"mask_spike_factor", &c->spike_factor},
	    {"mask_spike_min", &c->spike_min},
	    {"mask_spike_history", &c->spike_history},
	    {"run_rate_per_hour", &c->rate_per_hour},
	};

	for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++)
		if (strcmp(key, numbers[i].key) == 0)
			return parse_u64(value, numbers[i].field) &&
			       *numbers[i].field <= 1000000;
	if (strcmp(key, "change_hours") == 0)
		return parse_hours(value, &c->change_hour_from,
		                   &c->change_hour_to);
	if (strcmp(key, "change_days") == 0)
		return parse_days(value, &c->change_days);
	return false;
}

static char *
trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

void
alert_config_load(struct alert_config *c, const char *path)
{
	unsigned char *text;
	char *line, *save = NULL, *conf = NULL, where[PATH_MAX];
	size_t len;
	unsigned no = 0;
	uint64_t limit;
	const char *fetch_limit = env_nonempty("SECENV_FETCH_LIMIT");

	*c = defaults;
	c->rate_per_hour = 120;
	if (fetch_limit != NULL && parse_u64(fetch_limit, &limit) && limit > 0)
		c->rate_per_hour = limit * 4 / 5 > 0 ? limit * 4 / 5 : 1;
	if (path == NULL)
		path = conf = xasprintf("%s/alerts.conf", secenv_home());
	if (read_path(path, CONFIG_MAX, false, &text, &len) != 0) {
		if (errno == ENOENT && conf != NULL) {
			free(conf);
			return; /* the defaults */
		}
		err(EXIT_FAIL, "%s", printable(path));
	}
	if (memchr(text, '\0', len) != NULL)
		errx(EXIT_USAGE, "%s: not a text file", printable(path));
	snprintf(where, sizeof where, "%s", printable(path));
	for (line = strtok_r((char *)text, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		char *eq, *key;

		no++;
		line = trim(line);
		if (*line == '#' || *line == '\0')
			continue;
		eq = strchr(line, '=');
		if (eq == NULL)
			errx(EXIT_USAGE, "%s: line %u: expected NAME = VALUE",
			     where, no);
		*eq = '\0';
		key = trim(line);
		if (!config_set(c, key, trim(eq + 1)))
			errx(EXIT_USAGE, "%s: line %u: bad setting %s", where,
			     no, printable(key));
	}
	free(text);
	free(conf);
}

void
alerts_add(struct survey *s, int64_t t, const char *time, const char *project,
           const char *rule, const char *fmt, ...)
{
	struct finding *f;
	va_list ap;

	s->findings_total++;
	if (s->finding_count == SURVEY_FINDINGS_MAX)
		return;
	f = &s->findings[s->finding_count++];
	f->time_ms = t;
	snprintf(f->time, sizeof f->time, "%s", time);
	snprintf(f->project, sizeof f->project, "%s", project);
	f->rule = rule;
	va_start(ap, fmt);
	vsnprintf(f->detail, sizeof f->detail, fmt, ap);
	va_end(ap);
}

/* refusal-burst: burst_count refusals within burst_minutes, once per
 * window. */
static void
rule_burst(struct survey *s, struct project_stats *p, int64_t t,
           const char *time)
{
	int64_t window = (int64_t)s->cfg.burst_minutes * 60000;
	size_t cap = SURVEY_BURST_MAX;

	if (s->cfg.burst_count == 0)
		return;
	p->burst[(p->burst_head + p->burst_len) % cap] = t;
	if (p->burst_len < cap)
		p->burst_len++;
	else
		p->burst_head = (p->burst_head + 1) % cap;
	while (p->burst_len > 0 && p->burst[p->burst_head] <= t - window) {
		p->burst_head = (p->burst_head + 1) % cap;
		p->burst_len--;
	}
	if (p->burst_len >= s->cfg.burst_count && t >= p->burst_alerted_until) {
		alerts_add(s, t, time, p->name, "refusal-burst",
		           "%zu refused commands or reads within %llu minutes",
		           p->burst_len,
		           (unsigned long long)s->cfg.burst_minutes);
		p->burst_alerted_until = t + window;
	}
}

/* mask-spike: a run whose masks are far above the project's mean so far. */
static void
rule_spike(struct survey *s, struct project_stats *p, int64_t t,
           const char *time, json_t *rec)
{
	json_t *masks = json_object_get(rec, "masks"), *v;
	const char *key;
	uint64_t total = 0;

	json_object_foreach(masks, key, v) if (json_is_integer(v) &&
	                                       json_integer_value(v) > 0)
	    total += (uint64_t)json_integer_value(v);
	if (s->cfg.spike_factor > 0 && p->mask_runs >= s->cfg.spike_history &&
	    p->mask_runs > 0 && total >= s->cfg.spike_min) {
		double mean = p->mask_total / (double)p->mask_runs;

		if ((double)total > (double)s->cfg.spike_factor * mean)
			alerts_add(s, t, time, p->name, "mask-spike",
			           "a run masked %llu values, %llu times "
			           "the project's mean of %.1f",
			           (unsigned long long)total,
			           (unsigned long long)s->cfg.spike_factor,
			           mean);
	}
	p->mask_total += (double)total;
	p->mask_runs++;
}

/* run-rate: more runs of one project in one clock hour than allowed. */
static void
rule_rate(struct survey *s, struct project_stats *p, int64_t t,
          const char *time)
{
	int64_t hour = t / 3600000;

	if (s->cfg.rate_per_hour == 0)
		return;
	if (hour != p->rate_hour) {
		p->rate_hour = hour;
		p->rate_count = 0;
	}
	if (++p->rate_count == s->cfg.rate_per_hour + 1)
		alerts_add(s, t, time, p->name, "run-rate",
		           "more than %llu runs within the hour",
		           (unsigned long long)s->cfg.rate_per_hour);
}

/* change-hours: a secret changed outside the usual hours or days. */
static void
rule_hours(struct survey *s, struct project_stats *p, const char *event,
           int64_t t, const char *time)
{
	int64_t day = t >= 0 ? t / 86400000 : (t - 86399999) / 86400000;
	unsigned hour = (unsigned)((t - day * 86400000) / 3600000);
	unsigned weekday = (unsigned)(((day % 7) + 7 + 4) % 7); /* 1970: Thu */

	if (hour >= s->cfg.change_hour_from && hour < s->cfg.change_hour_to &&
	    (s->cfg.change_days & (1u << weekday)))
		return;
	alerts_add(s, t, time, p->name, "change-hours",
	           "secrets changed (%s) outside the usual hours", event);
}

void
alerts_record(struct survey *s, struct project_stats *p, const char *event,
              int64_t t, const char *time, json_t *rec)
{
	bool run = strcmp(event, "run") == 0;
	bool attempt = run || strcmp(event, "blocked") == 0 ||
	               strcmp(event, "error") == 0 ||
	               strcmp(event, "read") == 0;

	if (attempt && p->revoked) {
		/* A run the revoke stopped is recorded after it: it started
		 * before, which its duration tells. */
		json_t *d = json_object_get(rec, "duration_ms");
		int64_t started = t - (json_is_integer(d)
		                           ? (int64_t)json_integer_value(d)
		                           : 0);

		if (started > p->revoked_at)
			alerts_add(s, t, time, p->name, "revoked-run",
			           "%s while the project is revoked",
			           run ? "a run"
			           : strcmp(event, "read") == 0 ? "a read"
			           : strcmp(event, "blocked") == 0
			               ? "a refused command"
			               : "a run that failed");
	}
	if (strcmp(event, "blocked") == 0)
		rule_burst(s, p, t, time);
	if (run) {
		rule_spike(s, p, t, time, rec);
		rule_rate(s, p, t, time);
	}
	if (strcmp(event, "set") == 0 || strcmp(event, "import") == 0 ||
	    strcmp(event, "rm") == 0)
		rule_hours(s, p, event, t, time);
	if (strcmp(event, "revoke") == 0) {
		p->revoked = true;
		p->revoked_at = t;
	} else if (strcmp(event, "unrevoke") == 0) {
		p->revoked = false;
	}
}
