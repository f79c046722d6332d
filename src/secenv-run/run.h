/* SPDX-License-Identifier: ISC */
/* What secenv-run's files share: the options, the run's state, the steps. */
#ifndef SECENV_RUN_H
#define SECENV_RUN_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <jansson.h>

#define KILL_GRACE_MS 5000 /* between TERM and KILL for a process group */
#define TIMEOUT_GRACE_MS 1000 /* after -t: TERM, KILL, the masking stopped */
#define BLOB_READERS 2     /* envinject's, the masking process's */

/* What the command line asked for. */
struct run_options {
	const char *project;
	const char *workdir;  /* -C, NULL: stay */
	const char *timeout;  /* -t as given, checked by settings_check */
	const char *as_user;  /* --as, NULL: stay who we are */
	bool json, minimal_env, force;
	bool hints; /* --hints: masks name the secret and its shape */
	bool keep_children; /* --keep-children: descendants outlive the command */
	bool null_stdin;    /* -n: the command reads /dev/null */
	bool pty;   /* --pty: the command on a pseudo-terminal (pty.c) */
	bool watch; /* --watch: started again when the secrets change */
	char **command; /* NULL-terminated */
	int command_count;
};

/* Every process of a command (descend.c): a cgroup of the run's own, or
 * the run as subreaper and a walk of the process tree. */
enum track_mode { TRACK_NONE, TRACK_CGROUP, TRACK_SUBREAPER };
struct tracker {
	enum track_mode mode;
	char cgroup[PATH_MAX]; /* the run's cgroup directory, or "" */
	int procs_fd;          /* its cgroup.procs, for the command to join */
	pid_t run_pid, run_sid; /* the run; its own helpers keep its session */
	unsigned long long run_start; /* the run's start time, as revoke checks */
	pid_t leader;          /* the command's first process and group */
	pid_t keeper;          /* kills what is left when the run dies */
	int keeper_fd;         /* the run's end of the keeper's pipe */
	int keeper_reply;      /* the status of each record it appends */
	int keeper_notes;      /* what it says as auditlog (a memory file) */
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
	char *argv_path;        /* the file it executes; NULL: on PATH */
	char **names;           /* the project's secret names */
	size_t name_count;
	int blob_fd[BLOB_READERS]; /* -1 when not fetched */
	int blob_writer, fetch_errfd; /* where the fetch writes, or -1 */
	bool fetched, blocked, timed_out, sanitized;
	int interrupted; /* the signal that stopped us, 0 for none */
	uint64_t start_ms, duration_ms;
	int out_dest, err_dest; /* --json: the streams kept in memory, or -1 */
	int stats_fd[2];        /* the mask counts of stdout and stderr */
	int text_fd;            /* the command, masked for the record */
	json_t *masks;          /* {"NAME":count,...} */
	struct tracker track;   /* every process the command starts */
	char intent[33];        /* the intent record's id, "" before it */
	int command_gate;       /* a byte lets the command execute, or -1 */
	int command_ready;      /* says the command joined (command_joined) */
};

/* The options of read and revoke, read as bin/secenv reads its own. */
struct verb_options {
	const char *project; /* -p, else SECENV_PROJECT, else "" */
	bool json;           /* --json, where the verb takes it */
	char **args;         /* what is not an option */
	int arg_count;
};

/* main.c: messages in the shared style, as "secenv: VERB: ..." */
_Noreturn void usage_error(const char *verb, const char *message, ...)
    __attribute__((format(printf, 2, 3)));
void help_run(void);
void verb_options_parse(const char *verb, bool takes_json, int argc,
                        char **argv, struct verb_options *o);
void verb_project_require(const char *verb, const char *project);

/* settings.c */
bool switch_on(const char *name);
void settings_check(struct run *r);
void command_string(struct run *r);
void audit_log_find(char home[PATH_MAX], char log[PATH_MAX]);
void audit_precheck(const char *log);
void rundir_make(struct run *r);
void rundir_remove(const struct run *r);
char *working_directory(void);

/* children.c */
void signals_block(void);
void child_reset(void);
void signals_ignore(void);
void pipe_make(int fds[2]);
int memfd_make(const char *name, unsigned flags);
int memfd_seal(int fd);
void fd_close(int *fd);
pid_t spawn_call(const char *name, int (*fn)(void *), void *arg, int in,
                 int out, int errfd, const int *keep, size_t count,
                 bool new_session);
pid_t spawn_shared(const char *name, int (*fn)(void *), void *arg, int in,
                   int out, int errfd, const int *keep, size_t count);
#define FDS_MAX 8 /* descriptors in one message */
int fds_send(int sock, const void *data, size_t len, const int *fds, size_t n);
ssize_t fds_receive(int sock, void *data, size_t len, int *fds, size_t *n);
int shell_status(int status);
int wait_status(pid_t pid);

/* programs.c: the programs' entry points, each in a forked child of its
 * own that speaks as that program */
int names_load(const char *project, char ***names, size_t *count);
void names_free(char **names, size_t count);
int blob_fetch(const char *project, int out, int errfd);
/* the vaultfetch child of a run: its names, then its blob when asked */
struct secrets_source {
	pid_t pid;   /* 0 once done */
	int go;      /* its standard input: a byte fetches, EOF ends it */
	int fetched; /* with a then: a byte once fetched, or -1 */
	int names;   /* the names as it lists them, or -1 */
};
/* What the vaultfetch child goes on to do once it fetched: fn(arg, a
 * reader of the blob it wrote), with the run's stdout and stderr as out
 * and err (its own were the names' pipe and the blob) and the count
 * descriptors of keep open too. */
struct source_then {
	int (*fn)(void *arg, int blob);
	void *arg;
	int out, err;
	const int *keep;
	size_t count;
};
void source_start(const char *project, int blob_fd, int errfd,
                  const struct source_then *then, struct secrets_source *src);
int source_names(struct secrets_source *src, const char *project, char ***names,
                 size_t *count);
bool source_can_go_on(void);
int source_fetch(struct secrets_source *src);
void source_dismiss(struct secrets_source *src);
int audit_append(const char *log, json_t *record);
int audit_append_here(const char *log, json_t *record, void (*durable)(void *),
                      void *arg);
void audit_preload(const char *log);
/* What envinject executes, and how. */
struct command_spec {
	const char *blob; /* "fd:N", or NULL for no secrets */
	const char *project, *user;
	bool minimal;
	char **argv;
	const char *path;
};
/* What the command's child says once it is in its session and cgroup. */
struct command_ready {
	pid_t pid;
	int joined; /* as tracker_child_join() returns it */
};
pid_t command_spawn(const struct command_spec *spec, int in, int out, int errfd,
                    int blob_fd, const struct tracker *t, int ready_fd,
                    int gate_fd, bool shared);
pid_t masking_spawn(int blob_fd, int in, int out, int stats_fd);

/* group.c */
bool proc_start_time(pid_t pid, unsigned long long *start);
void group_stop(pid_t pgid);
void groups_stop(const pid_t *pgids, size_t count);

/* descend.c */
void tracker_open(struct tracker *t);
int tracker_child_join(const struct tracker *t);
void tracker_started(struct tracker *t, pid_t leader, int joined);
const char *tracker_mechanism(const struct tracker *t);
bool tracker_signal(const struct tracker *t, int sig);
void trackers_stop(struct tracker *ts, size_t count, long grace_ms);
void tracker_describe(const struct tracker *t, char *out, size_t size);
bool tracker_parse(struct tracker *t, pid_t leader, const char *line);
void tracker_release(struct tracker *t);
void tracker_keeper_start(struct tracker *t, const struct run *r);
void tracker_keeper_tell(const struct tracker *t);
bool keeper_append(const char *text, size_t len, int *status);
void tracker_keeper_dismiss(struct tracker *t);
void tracker_keeper_let_go(struct tracker *t);
void tracker_close(struct tracker *t);
void masks_stop_arm(const int *in_fds, size_t count);
void masks_stop_start(void);

/* report.c */
char *memfd_text(int fd, size_t *len);
json_t *stream_text(int fd);
json_t *masks_read(const int *stats_fd, size_t count);
json_t *json_names(char *const names[], size_t count);
json_t *json_bytes(const char *text);
void report_json(const struct run *r, int status);
void json_print(json_t *obj, const char *what);

/* pty.c: --pty, hooked into run.c's streams and the command's child */
void pty_prepare(const struct run *r, int *cmd_out, int *cmd_err);
void pty_attach(void);
void pty_start(void);
void pty_stop(void);
void pty_reaped(pid_t pid, int status);
int pty_finish(void);

/* watch.c: --watch, hooked into run.c's wait and its end */
void watch_begin(struct run *r);
bool watch_changed(const struct run *r, uint64_t now);
uint64_t watch_wake(uint64_t until);
bool watch_restart(struct run *r, int status, int masking_failed);

/* run.c: steps that watch.c takes again for a restart */
void guard_step(struct run *r);
void blob_readers(struct run *r, int writer);

/* run.c, read.c, owner.c: the verbs */
int run_main(const struct run_options *o);
int read_main(int argc, char **argv);
int revoke_main(int argc, char **argv);
int record_main(int argc, char **argv);

#endif
