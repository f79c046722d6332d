/* SPDX-License-Identifier: ISC */
/* What secenv-run's files share: the options, the run's state, the steps. */
#ifndef SECENV_RUN_H
#define SECENV_RUN_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define KILL_GRACE_MS 5000 /* between TERM and KILL for a process group */
#define BLOB_READERS 2     /* envinject's, the masking process's */

/* What the command line asked for. */
struct run_options {
	const char *project;
	const char *workdir;  /* -C, NULL: stay */
	const char *timeout;  /* -t as given, checked by settings_check */
	const char *as_user;  /* --as, NULL: stay who we are */
	bool json, minimal_env, force;
	char **command; /* NULL-terminated */
	int command_count;
};

/* Everything one run learns and holds; see run.c for the order. */
struct run {
	const struct run_options *o;
	unsigned timeout_s;
	bool inject, sanitize, guard, audit; /* the four switches */
	char home[PATH_MAX];    /* SECENV_HOME */
	char audit_log[PATH_MAX];
	char rundir[PATH_MAX];  /* private to this run, removed at exit */
	char *cmdstr;           /* the command as one shell string */
	char **argv;            /* what envinject runs */
	char **names;           /* the project's secret names */
	size_t name_count;
	int blob_fd[BLOB_READERS]; /* -1 when not fetched */
	bool fetched, blocked, timed_out, sanitized;
	int interrupted; /* the signal that stopped us, 0 for none */
	uint64_t start_ms, duration_ms;
	int out_dest, err_dest; /* --json: the streams kept in memory, or -1 */
	int stats_fd[2];        /* the mask counts of stdout and stderr */
	int text_fd;            /* the command, masked for the record */
	char *masks_json;       /* {"NAME":count,...} */
};

/* main.c: messages in the shared style, as "secenv: ..." */
_Noreturn void usage_error(const char *message, ...)
    __attribute__((format(printf, 1, 2)));
void help_run(void);

/* settings.c */
void settings_check(struct run *r);
void command_string(struct run *r);
void paths_find(struct run *r);
void audit_precheck(const struct run *r);
void rundir_make(struct run *r);
void rundir_remove(const struct run *r);
char *working_directory(void);

/* children.c */
void signals_block(void);
void child_reset(void);
void signals_ignore(void);
pid_t spawn_call(const char *name, int (*fn)(void *), void *arg, int in,
                 int out, int errfd, const int *keep, size_t count,
                 bool new_session);
pid_t spawn_program(const char *const argv[],
                    int in, int out, int errfd, int keep, bool new_session);
int wait_status(pid_t pid);
char *capture_program(const char *const argv[], int out, bool capture_stderr,
                      int *status);

/* The main() of the programs a run starts, compiled again under these
 * names (mk/secenv-run.mk). */
int vaultfetch_main(int argc, char **argv);
int envinject_main(int argc, char **argv);
int auditlog_main(int argc, char **argv);

/* group.c */
bool proc_start_time(pid_t pid, unsigned long long *start);
void group_stop(pid_t pgid);

/* report.c */
char *memfd_text(int fd, size_t *len);
void masks_sum(struct run *r);
int audit_record(const struct run *r, const char *const fields[],
                 size_t count);
void report_json(const struct run *r, int status);
char *json_names(char *const names[], size_t count);

/* run.c */
int run_main(const struct run_options *o);

#endif
