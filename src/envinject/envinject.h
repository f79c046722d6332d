/* SPDX-License-Identifier: ISC */
/* envinject's entry point (envinject_exec, which secenv-run calls too) and what
 * its files share: options, the child's environment, exec limits, -u. */
#ifndef ENVINJECT_H
#define ENVINJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "secretset.h"

/* What the command line asked for. */
struct envinject_options {
	const char *blob;    /* path, "-", "fd:N"; NULL: none (--no-blob) */
	const char *project; /* NULL: any */
	const char *user;    /* NULL: stay who we are */
	bool minimal;
	char **only; /* NULL: every secret */
	size_t only_count;
	char **command;
	/* the file to execute, as execve takes it; NULL: command[0],
	 * looked up on PATH as execvp does */
	const char *path;
	/* 0 for none, or a descriptor to read one byte from before the
	 * exec, the caller's word that the command may start: its end
	 * closed instead ends us with EXIT_FAIL and nothing executed */
	int gate_fd;
	/* the parent whose death kills the command (0: none), armed again
	 * after a change of user, which clears it */
	pid_t death_parent;
};

/* The account -u names, looked up before the blob is opened. */
struct target_user {
	char *name;
	char *home;
	uid_t uid;
	gid_t gid;
};

/*
 * The child's environment. envp points at inherited strings (left
 * where they are), at strings made here (malloc, never secret), and
 * into secrets, one buffer of secure memory holding "NAME=value\0..."
 * for every injected value.
 */
struct child_env {
	char **envp; /* malloc'd, NULL-terminated */
	size_t count;
	size_t cap;
	char *secrets; /* secure memory */
	size_t secrets_len;
};

/* True for a name that must never reach the command (docs/envinject.1). */
bool env_is_credential(const char *name, size_t len);

/*
 * Start the child's environment: the inherited one minus credentials
 * (first occurrence of each name), or with minimal only PATH, HOME,
 * USER, LANG and TERM. With user, HOME, USER and LOGNAME are the
 * target's.
 */
void env_start(struct child_env *env, bool minimal,
               const struct target_user *user);

/*
 * Add the current values of set (of the names in only, when only is
 * not NULL) to env, replacing any inherited variable of the same name.
 */
void env_add_secrets(struct child_env *env, const struct secretset *set,
                     char *const *only, size_t only_count);

/* Wipe the secret strings and free everything. */
void env_free(struct child_env *env);
/* The values wiped in place, nothing freed: for an exit that may be cut
 * short by a kill, in memory shared with another process (gate_wait). */
void env_wipe(struct child_env *env);

/*
 * Refuse, before exec, what the kernel would refuse with E2BIG: one
 * string over MAX_ARG_STRLEN (naming the variable) or more than the
 * stack limit allows in total. On failure prints one line and returns
 * -1; the caller wipes and exits.
 */
int exec_limits_check(char *const argv[], char *const envp[]);

/* getpwnam, or die with EXIT_USAGE naming the user. */
void user_lookup(const char *name, struct target_user *user);

/* Groups, gid, uid, then check that none of root's can be had back.
 * 0, or -1 after a message (the caller wipes, then exits). */
int user_switch(const struct target_user *user);

/* Open the blob (unless there is none), switch user, build the
 * environment, exec the command; never returns (127 when the command is
 * not found, 126 when it cannot be run, 100 or 111 before that). */
_Noreturn void envinject_exec(const struct envinject_options *o);

#endif
