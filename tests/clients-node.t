#!/bin/sh
# SPDX-License-Identifier: ISC
# The Node client's suite (tests/clients/node_client.test.mjs), as TAP.
if ! command -v node >/dev/null 2>&1; then
	echo "1..0 # SKIP node is not installed"
	exit 0
fi
exec node --test --test-reporter=tap "$(dirname "$0")/clients/node_client.test.mjs"
