/* SPDX-License-Identifier: ISC */
/* Per-command cost of cmdguard's check, in process: parse, walk, decide. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmdguard/guard.h"

static const char *const commands[] = {
    "npm start",
    "make test",
    "git status",
    "grep -rn printenv src/",
    "env FOO=1 make test",
    "cat .env.example",
    "python -c 'import os; print(os.environ)'",
    "printenv",
    "cat .e*",
    "bash -c 'echo $STRIPE_KEY'",
    "for f in src/*.c; do gcc -c \"$f\" -o \"${f%.c}.o\" || exit 1; done",
    "find . -name '*.py' -exec grep -l TODO {} + | xargs wc -l",
    "cd build && cmake .. -DCMAKE_BUILD_TYPE=Release && make -j4 2>&1 | tee "
    "build.log",
    "docker compose up -d && sleep 2 && curl -fsS http://localhost:8080/health",
    "sh -c \"$(echo cHJpbnRlbnY= | base64 -d)\"",
};

static double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	static char *names[] = {"STRIPE_KEY", "DATABASE_URL", "OPENAI_API_KEY"};
	const struct policy_vars vars = {"/home/agent", "/home/agent/.secenv",
	                                 "/run/user/1000/secenv-1000"};
	struct policy policy = {0};
	struct guard g = {.policy = &policy,
	                  .secret_names = names,
	                  .secret_count = 3,
	                  .home = "/home/agent",
	                  .cwd = "/work/project"};
	size_t iterations = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
	size_t n = sizeof(commands) / sizeof(commands[0]), denied = 0;
	struct verdict v = {0};
	const char *why;
	size_t line;
	double start, total;

	if (policy_load_text(&policy, policy_default_text,
	                     strlen(policy_default_text), &vars, &why,
	                     &line) != 0) {
		fprintf(stderr, "default policy:%zu: %s\n", line, why);
		return 1;
	}
	for (size_t k = 0; k < n; k++) {
		size_t reps = iterations / n + 1;

		start = now_seconds();
		for (size_t i = 0; i < reps; i++)
			guard_check_command(&g, commands[k],
			                    strlen(commands[k]), &v);
		total = now_seconds() - start;
		printf("%8.2f us  %-5s %s\n", total / (double)reps * 1e6,
		       v.denied ? "deny" : "allow", commands[k]);
	}
	start = now_seconds();
	for (size_t i = 0; i < iterations; i++)
		denied += guard_check_command(&g, commands[i % n],
		                              strlen(commands[i % n]), &v);
	total = now_seconds() - start;
	printf("cmdguard: %zu checks in %.3f s: %.2f us per command (%zu "
	       "denied)\n",
	       iterations, total, total / (double)iterations * 1e6, denied);
	verdict_clear(&v);
	policy_free(&policy);
	return 0;
}
