/* SPDX-License-Identifier: ISC */
/* What a run checks and finds before it starts anything: switches, options,
 * the programs, the audit log, its private directory. */
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exitcodes.h"
#include "names.h"
#include "paths.h"
#include "run.h"
#include "util.h"

/* The switch name (default on); a value that is not a boolean is a
 * usage error naming the variable. */
bool
switch_on(const char *name)
{
	const char *value = getenv(name);
	static const char *const on[] = {"1", "true", "yes", "on"};
	static const char *const off[] = {"0", "false", "no", "off"};

	if (value == NULL)
		return true;
	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(value, on[i]) == 0)
			return true;
		if (strcasecmp(value, off[i]) == 0)
			return false;
	}
	errx(EXIT_USAGE, "%s: not a boolean (use 1 or 0, true or false)", name);
}

static unsigned
timeout_parse(const char *text)
{
	size_t len = strspn(text, "0123456789");
	unsigned long value;

	if (len == 0 || len > 7 || text[len] != '\0' ||
	    (value = strtoul(text, NULL, 10)) == 0)
		usage_error("run", "-t: not a positive number of seconds: %s",
		            printable(text));
	return (unsigned)value;
}

/* --as names an account, as envinject -u takes it, and only root can
 * become someone else. */
static void
as_user_check(const char *user)
{
	struct passwd *pw = getpwnam(user);

	if (pw == NULL)
		errx(EXIT_USAGE, "--as: no such user: %s", printable(user));
	if (geteuid() != 0)
		errx(EXIT_USAGE, "--as needs root");
}

static void
workdir_enter(const char *dir)
{
	struct stat st;

	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		errx(EXIT_USAGE, "-C: %s: not a directory", dir);
	if (chdir(dir) != 0)
		errx(EXIT_FAIL, "-C: %s: cannot change directory", dir);
}

/* The options and switches, in the order bin/secenv has always checked
 * them, so the first fault is the one reported. */
void
settings_check(struct run *r)
{
	const struct run_options *o = r->o;
	const char *force;

	if (o->command_count < 1)
		usage_error("run", "no command (secenv run -p P -- COMMAND)");
	verb_project_require("run", o->project);
	r->timeout_s = timeout_parse(o->timeout);
	if (o->as_user != NULL)
		as_user_check(o->as_user);
	if (o->workdir != NULL)
		workdir_enter(o->workdir);
	r->inject = switch_on("ENABLE_SECRET_INJECTION");
	r->sanitize = switch_on("ENABLE_OUTPUT_SANITIZATION");
	r->guard = switch_on("BLOCK_ENV_FILE_ACCESS");
	r->audit = switch_on("AUDIT_SECRET_ACCESS");
	force = getenv("SECENV_FORCE");
	if (r->inject && !r->sanitize && !o->force &&
	    !(force != NULL && *force != '\0' && switch_on("SECENV_FORCE")))
		errx(EXIT_USAGE,
		     "refusing to inject secrets with "
		     "ENABLE_OUTPUT_SANITIZATION off: output would show them "
		     "unmasked (use --force or SECENV_FORCE=1 to do it anyway)");
}

/* A word as the shell reads it back: bare when it is plain, else in
 * single quotes. */
static void
quote_word(FILE *f, const char *word)
{
	static const char plain[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                            "abcdefghijklmnopqrstuvwxyz"
	                            "0123456789_@%+=:,./-";

	if (*word != '\0' && word[strspn(word, plain)] == '\0') {
		fputs(word, f);
		return;
	}
	fputc('\'', f);
	for (; *word != '\0'; word++) {
		if (*word == '\'')
			fputs("'\\''", f);
		else
			fputc(*word, f);
	}
	fputc('\'', f);
}

/* The system's sh, on the path confstr(_CS_PATH) gives, as system(3)
 * finds it: one lookup, not an execve that fails in every directory of
 * PATH before the one that has it. NULL when none is there (then PATH
 * is searched, as before). */
static char *
system_shell(void)
{
	size_t len = confstr(_CS_PATH, NULL, 0);
	char *dirs, *found;

	if (len == 0)
		return NULL;
	dirs = xcalloc(len, 1);
	confstr(_CS_PATH, dirs, len);
	found = path_search_in(dirs, "sh");
	free(dirs);
	if (found != NULL && found[0] != '/') {
		free(found);
		found = NULL;
	}
	return found;
}

/*
 * Words a shell would split a string into and run as they are: the
 * string holds only characters the shell gives no meaning to (letters,
 * digits, _ - . / , : + @ % ^, = after the first word) between blanks,
 * and its first word is neither a keyword nor a builtin the shell would
 * run itself (true and false excepted: their programs do the same). NULL
 * otherwise; else a NULL-terminated vector into a copy of s.
 */
static char **
plain_words(const char *s)
{
	static const char *const own[] = {
	    ".",      ":",       "[",      "alias",   "bg",       "break",
	    "case",   "cd",      "chdir",  "command", "continue", "do",
	    "done",   "echo",    "elif",   "else",    "esac",     "eval",
	    "exec",   "exit",    "export", "fc",      "fg",       "fi",
	    "for",    "getopts", "hash",   "if",      "in",       "jobs",
	    "kill",   "local",   "printf", "pwd",     "read",     "readonly",
	    "return", "set",     "shift",  "test",    "then",     "times",
	    "trap",   "type",    "ulimit", "umask",   "unalias",  "unset",
	    "until",  "wait",    "while"};
	size_t words = 0, first_len = strcspn(s, " \t");
	char **argv, *copy, *save = NULL;

	for (const char *p = s; *p != '\0'; p++) {
		bool blank = *p == ' ' || *p == '\t';

		if (!blank && (p == s || p[-1] == ' ' || p[-1] == '\t'))
			words++;
		if (!blank && strchr("_-./,:+@%^", *p) == NULL &&
		    !(*p >= 'a' && *p <= 'z') && !(*p >= 'A' && *p <= 'Z') &&
		    !(*p >= '0' && *p <= '9') &&
		    !(*p == '=' && (size_t)(p - s) > first_len))
			return NULL;
	}
	if (words == 0 || first_len == 0)
		return NULL;
	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		if (strlen(own[i]) == first_len &&
		    strncmp(s, own[i], first_len) == 0)
			return NULL;
	copy = xstrdup(s);
	argv = xcalloc(words + 1, sizeof(char *));
	words = 0;
	for (char *w = strtok_r(copy, " \t", &save); w != NULL;
	     w = strtok_r(NULL, " \t", &save))
		argv[words++] = w;
	return argv;
}

/*
 * Whether the command, run without sh, sees what sh would have given it:
 * sh exports PWD as the directory it starts in, so PWD must already name
 * it (no -C, no minimal environment); another user's command (--as) is
 * left to sh too.
 */
static bool
runs_as_sh_would(const struct run_options *o)
{
	const char *pwd = getenv("PWD");
	struct stat here, there;

	return o->workdir == NULL && !o->minimal_env && o->as_user == NULL &&
	       pwd != NULL && pwd[0] == '/' && stat(".", &here) == 0 &&
	       stat(pwd, &there) == 0 && here.st_dev == there.st_dev &&
	       here.st_ino == there.st_ino;
}

/*
 * One string is what an agent sends: it runs under sh -c (the system's
 * sh, system_shell) and is checked as it is; when the shell would only
 * split it into words and run the program found on PATH (plain_words,
 * path_search), they run as they are, an exec of sh less. Several words
 * run as they are and are checked as the shell string that would run
 * them.
 */
void
command_string(struct run *r)
{
	const struct run_options *o = r->o;
	size_t len;
	FILE *f;

	if (o->command_count == 1 && runs_as_sh_would(o) &&
	    (r->argv = plain_words(o->command[0])) != NULL) {
		r->argv_path = path_search(r->argv[0]);
		if (r->argv_path != NULL && r->argv_path[0] == '/') {
			r->cmdstr = xstrdup(o->command[0]);
			return;
		}
		free(r->argv_path);
		r->argv_path = NULL;
		free(r->argv[0]); /* the words' copy: no blank before them */
		free(r->argv);
		r->argv = NULL;
	}
	if (o->command_count == 1) {
		r->cmdstr = xstrdup(o->command[0]);
		r->argv = xcalloc(4, sizeof(char *));
		r->argv[0] = "sh";
		r->argv[1] = "-c";
		r->argv[2] = o->command[0];
		r->argv_path = system_shell();
		return;
	}
	f = open_memstream(&r->cmdstr, &len);
	if (f == NULL)
		err(EXIT_FAIL, "command");
	for (int i = 0; i < o->command_count; i++) {
		if (i > 0)
			fputc(' ', f);
		quote_word(f, o->command[i]);
	}
	if (fclose(f) != 0)
		err(EXIT_FAIL, "command");
	r->argv = o->command;
}

/* SECENV_HOME and the audit log, as the other programs find them. */
void
audit_log_find(char home[PATH_MAX], char log[PATH_MAX])
{
	const char *path = env_nonempty("SECENV_AUDIT_LOG");

	snprintf(home, PATH_MAX, "%s", secenv_home());
	if (path != NULL)
		snprintf(log, PATH_MAX, "%s", path);
	else
		path_join(log, PATH_MAX, home, "audit.log");
}

static bool
appendable(const char *path, bool create)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOCTTY |
	                        (create ? O_CREAT : 0),
	              0600);
	struct stat st;
	bool ok;

	if (fd < 0)
		return !create && errno == ENOENT;
	ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
	close(fd);
	return ok;
}

/*
 * With auditing on (the caller asks), a log that cannot be written stops
 * everything before any secret is touched (fail closed). The log, and
 * auditlog's lock and anchor beside it, must open for appending: a
 * directory, a read-only file system or a full inode table fail here; a
 * full disk fails the append, reported after.
 */
void
audit_precheck(const char *log)
{
	char dir[PATH_MAX], lock[PATH_MAX], anchor[PATH_MAX];
	char *slash;
	struct stat st;

	snprintf(dir, sizeof dir, "%s", log);
	slash = strrchr(dir, '/');
	if (slash != NULL)
		*slash = '\0';
	if (slash != NULL && *dir != '\0' &&
	    (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)))
		errx(EXIT_FAIL,
		     "audit log %s: directory missing (run secenv init); "
		     "refusing to run",
		     log);
	if (snprintf(lock, sizeof lock, "%s.lock", log) >= (int)sizeof lock ||
	    snprintf(anchor, sizeof anchor, "%s.anchor", log) >=
	        (int)sizeof anchor ||
	    !appendable(log, true) || !appendable(lock, false) ||
	    !appendable(anchor, false))
		errx(EXIT_FAIL,
		     "audit log %s: not writable; refusing to run "
		     "(AUDIT_SECRET_ACCESS is on)",
		     log);
}

void
rundir_make(struct run *r)
{
	path_join(r->rundir, sizeof r->rundir, secenv_runtime_dir(),
	          "run.XXXXXXXX");
	if (mkdtemp(r->rundir) == NULL)
		err(EXIT_FAIL, "cannot create a run directory under %s",
		    secenv_runtime_dir());
}

/* The run directory holds only files this run made. */
void
rundir_remove(const struct run *r)
{
	DIR *d;
	struct dirent *e;

	if (r->rundir[0] == '\0' || (d = opendir(r->rundir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			unlinkat(dirfd(d), e->d_name, 0);
	closedir(d);
	rmdir(r->rundir);
}

/* The working directory as the user names it: $PWD when it is still
 * this directory (links kept, as a shell shows it), else the real path. */
char *
working_directory(void)
{
	const char *pwd = getenv("PWD");
	struct stat a, b;
	char *real;

	if (pwd != NULL && pwd[0] == '/' && stat(pwd, &a) == 0 &&
	    stat(".", &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
		return xstrdup(pwd);
	real = getcwd(NULL, 0);
	if (real == NULL)
		err(EXIT_FAIL, "getcwd");
	return real;
}
