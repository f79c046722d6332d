# Loaded by every BATS file in setup(): assertions, the programs under
# test on PATH, and a fresh, private SECENV_HOME and runtime directory.
# shellcheck shell=bash

bats_load_library bats-support
bats_load_library bats-assert

SECENV_SRC="$(cd "$BATS_TEST_DIRNAME/.." && pwd)"
SECENV_BIN="${SECENV_BIN:-$SECENV_SRC/bin}"
FIXTURES="$SECENV_SRC/tests/fixtures"
export SECENV_SRC SECENV_BIN FIXTURES

secenv_test_env() {
	PATH="$SECENV_BIN:$SECENV_SRC/bin:$PATH"
	export SECENV_HOME="$BATS_TEST_TMPDIR/home"
	export XDG_RUNTIME_DIR="$BATS_TEST_TMPDIR/run"
	mkdir -p "$XDG_RUNTIME_DIR"
	chmod 0700 "$XDG_RUNTIME_DIR"
	unset SECENV_BACKEND AZURE_CLIENT_SECRET VAULT_TOKEN
	umask 077
}

# refute_secret VALUE: VALUE appears in neither $output nor $stderr
# (run with --separate-stderr to fill $stderr).
refute_secret() {
	local value="$1"
	[[ "$output" != *"$value"* ]] || fail "secret value found in stdout"
	[[ "${stderr:-}" != *"$value"* ]] || fail "secret value found in stderr"
}
