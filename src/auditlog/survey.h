/* SPDX-License-Identifier: ISC */
/* One streaming pass over the audit chain for report and alerts: the
 * figures of every view, and the alert rules' state, in bounded memory. */
#ifndef AUDITLOG_SURVEY_H
#define AUDITLOG_SURVEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#define SURVEY_TEXT_CUT 300   /* longest command or reason kept, bytes */
#define SURVEY_REASONS_MAX 200 /* denial groups; more fall into one */
#define SURVEY_EXAMPLES 5      /* commands kept per denial group */
#define SURVEY_CHANGES_MAX 1000 /* owner actions kept, the newest */
#define SURVEY_FINDINGS_MAX 1000 /* findings kept, the first */
#define SURVEY_PROJECTS_MAX 4096
#define SURVEY_SECRETS_MAX 65536 /* project x name cells */
#define SURVEY_HOURS_MAX (24 * 366 * 10) /* timeline span kept */
#define SURVEY_BURST_MAX 1000 /* refusal times an alert window holds */

/* Thresholds of the alert rules (secenv(1), ALERTS). */
struct alert_config {
	uint64_t burst_count;    /* refusals ... */
	uint64_t burst_minutes;  /* ... within this many minutes */
	uint64_t spike_factor;   /* a run's masks above factor x the mean */
	uint64_t spike_min;      /* ... and at least this many */
	uint64_t spike_history;  /* runs of the project before judging */
	uint64_t rate_per_hour;  /* runs of one project in one hour */
	unsigned change_hour_from, change_hour_to; /* usual hours, UTC */
	unsigned change_days; /* bit d set: weekday d (0 Sunday) is usual */
};

struct finding {
	int64_t time_ms;
	char time[32];
	char project[80];
	const char *rule;
	char detail[256];
};

struct denial_group {
	char reason[SURVEY_TEXT_CUT + 1];
	uint64_t count;
	char examples[SURVEY_EXAMPLES][SURVEY_TEXT_CUT + 1];
	size_t example_count, example_next;
};

struct change {
	char time[32];
	char event[16];
	char project[80];
	char detail[SURVEY_TEXT_CUT + 1];
};

struct secret_cell {
	uint32_t project;
	char name[128];
	uint64_t injected; /* runs that had it injected */
	uint64_t masks;
	char changed[32]; /* time of the last set/import/rm naming it */
	char change_event[16];
};

struct project_stats {
	char name[80];
	uint64_t runs, refusals, errors, timeouts, revocations, reads, other;
	/* alert state */
	int64_t burst[SURVEY_BURST_MAX]; /* recent refusal times, a ring */
	size_t burst_head, burst_len;
	int64_t burst_alerted_until;
	double mask_total;
	uint64_t mask_runs;
	bool revoked;
	int64_t revoked_at;
	int64_t rate_hour;
	uint64_t rate_count;
};

struct bucket {
	uint64_t runs, refusals, errors;
};

/* A file of the chain: its records and seq range as read. */
struct survey_file {
	char *path;
	uint64_t records, first_seq, last_seq;
	bool torn;
};

struct survey {
	/* what to read */
	const char *project;    /* NULL: every project */
	int64_t since, until;   /* ms; INT64_MIN / INT64_MAX: open */
	struct alert_config cfg;
	/* the chain */
	struct survey_file *files;
	size_t file_count;
	uint64_t records, in_range, unreadable;
	char first_time[32], last_time[32];
	/* views */
	struct project_stats *projects;
	size_t project_count;
	struct secret_cell *secrets;
	size_t secret_count;
	struct bucket *hours; /* from first_hour on */
	size_t hour_count;
	int64_t first_hour;
	struct denial_group *denials;
	size_t denial_count;
	uint64_t denials_other;
	struct change *changes; /* a ring of the newest */
	size_t change_count, change_next;
	uint64_t changes_total;
	struct finding *findings;
	size_t finding_count;
	uint64_t findings_total;
	/* the verification, made by auditlog verify in a child */
	bool sound;
	char *verdict; /* what verify printed, both streams */
};

/* "2026-12-03T19:46:45.850Z", "2026-12-03", "2026-12-03T19:46", or a
 * span back from now such as "24h" or "7d"; false when none of those. */
bool survey_parse_time(const char *s, int64_t now_ms, int64_t *ms);

/* Defaults, then SECENV_HOME/alerts.conf (or path); dies 100 on a bad
 * line, naming it. */
void alert_config_load(struct alert_config *c, const char *path);

/* Read the chain ending in log (verified under key meanwhile) into s. */
void survey_run(struct survey *s, const char *log, const char *key_path);
void survey_free(struct survey *s);

/* The rules, called for each record in range, in order. */
void alerts_record(struct survey *s, struct project_stats *p,
                   const char *event, int64_t t, const char *time,
                   json_t *rec);
void alerts_add(struct survey *s, int64_t t, const char *time,
                const char *project, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* The page (report.c). */
void report_write_html(const struct survey *s, FILE *out);

#endif
