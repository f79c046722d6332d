/* SPDX-License-Identifier: ISC */
/* cmdguard as a library, for secenv-run, the unit tests, the bench and the
 * fuzzer: the word model, globs, the policy, the checker and the options. */
#ifndef CMDGUARD_GUARD_H
#define CMDGUARD_GUARD_H

#include "guard_check.h"
#include "guard_glob.h"
#include "guard_options.h"
#include "guard_policy.h"
#include "guard_words.h"

#endif
