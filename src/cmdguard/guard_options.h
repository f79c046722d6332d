/* SPDX-License-Identifier: ISC */
/* cmdguard's options, and the whole decision as its command line asks for
 * it (decide.c). */
#ifndef CMDGUARD_GUARD_OPTIONS_H
#define CMDGUARD_GUARD_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "guard_check.h"

enum cmdguard_action { ACT_COMMAND, ACT_PATH };

#define LISTS_MAX 64

struct cmdguard_options {
	enum cmdguard_action action;
	const char *blob, *policy, *path;
	const char *names[LISTS_MAX]; /* every -n, each a comma list */
	size_t name_lists;
	char *const *secret_names; /* more names, as an array (secenv-run) */
	size_t secret_count;
	bool json;
	bool batch; /* one command per line of stdin, one verdict per line */
};

/*
 * Load the policy and the secret names of o and decide command (len
 * bytes; unused for ACT_PATH): true when denied, with the reason in *v
 * (verdict_clear() it). Dies 100 or 111 with a message on bad input or
 * a failure, as cmdguard does.
 */
bool cmdguard_decide(const struct cmdguard_options *o, const char *command,
                     size_t len, struct verdict *v);

/*
 * Load the policy and the secret names, decide the command (argv[0], or
 * stdin when argc is 0) or the path, print "cmdguard: denied: REASON" on
 * stderr (and the verdict on stdout with json). EXIT_OK or EXIT_NO;
 * dies 100 or 111 with a message on bad input or a failure.
 */
int cmdguard_run(const struct cmdguard_options *o, int argc, char **argv);

/*
 * Load the policy and the secret names once, then decide each line of in
 * as one command and print one verdict line on stdout for it, flushed:
 * "allow" or "deny: REASON", or the JSON object with json. A line over
 * 1 MiB is denied as unparsable. EXIT_OK when every line was allowed,
 * EXIT_NO when one was denied; dies 100 or 111 as cmdguard_run() does.
 */
int cmdguard_batch(const struct cmdguard_options *o, FILE *in);

#endif
