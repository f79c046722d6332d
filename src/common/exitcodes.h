/* SPDX-License-Identifier: ISC */
/* The exit-status table shared by every secenv program (see secenv(7)). */
#ifndef SECENV_EXITCODES_H
#define SECENV_EXITCODES_H

#define EXIT_OK 0        /* success, or "allowed" */
#define EXIT_NO 1        /* a "no": denied, verify found a fault */
#define EXIT_USAGE 100   /* bad option, bad project id, bad name */
#define EXIT_FAIL 111    /* system or backend failure */
#define EXIT_TIMEOUT 124 /* secenv run timed out */
#define EXIT_NOEXEC 126  /* command could not be executed */
#define EXIT_NOTFOUND 127 /* command not found */

#endif
