#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Tests of clients/python/secenv.py against the real programs (TAP when run
as a script, for prove; `python3 -m unittest` works too)."""

from __future__ import annotations

import asyncio
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import traceback
import unittest
from pathlib import Path
from unittest import mock

HERE = Path(__file__).resolve().parent
SRC = HERE.parents[1]
sys.path.insert(0, str(SRC / "clients" / "python"))

import secenv  # noqa: E402

SECENV = str(SRC / "bin" / "secenv")
SECENV_BIN = os.environ.get("SECENV_BIN", str(SRC / "bin"))
KEY = "sk_test_123456789"
STRIPE_OUT = "Using Stripe key: sk_test_***REDACTED***\nPayment successful\n"
# Settings of the caller's that would change what is tested.
UNSET = ("SECENV_BACKEND", "SECENV_PROJECT", "SECENV_FORCE", "SECENV",
         "AZURE_KEY_VAULT_URL", "SECENV_AZURE_VAULT_URL",
         "ENABLE_SECRET_INJECTION", "ENABLE_OUTPUT_SANITIZATION",
         "BLOCK_ENV_FILE_ACCESS", "AUDIT_SECRET_ACCESS")


def environment(tmp: Path) -> dict[str, str]:
    """The caller's environment with SECENV_HOME and XDG_RUNTIME_DIR in tmp."""
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    env.update(
        PATH=f"{SECENV_BIN}:{SRC / 'bin'}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        SECENV_BIN=SECENV_BIN,
        SECENV_HOME=str(tmp / "home"),
        XDG_RUNTIME_DIR=str(tmp / "run"),
    )
    return env


class ClientTest(unittest.TestCase):
    """A fresh SECENV_HOME and runtime directory per test: a copy of the
    pair that `secenv init` and set_secret of the class's SECRETS (in
    project shop) made once for the class (a set costs more than most
    tests)."""

    SECRETS: dict[str, str] = {}

    @classmethod
    def setUpClass(cls) -> None:
        tmp = tempfile.TemporaryDirectory()
        cls.addClassCleanup(tmp.cleanup)
        cls.template = Path(tmp.name)
        env = environment(cls.template)
        (cls.template / "run").mkdir(mode=0o700)
        subprocess.run([SECENV, "init"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        for name, value in cls.SECRETS.items():
            secenv.set_secret("shop", name, value, secenv=SECENV, env=env)

    def setUp(self) -> None:
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.tmp = Path(tmp.name)
        for part in ("home", "run"):
            shutil.copytree(self.template / part, self.tmp / part, symlinks=True)
        self.env = environment(self.tmp)
        self.kw = {"secenv": SECENV, "env": self.env}

    def assert_no_key(self, *texts: str) -> None:
        for text in texts:
            self.assertNotIn(KEY, text)
            self.assertNotIn("123456789", text)


class TestRun(ClientTest):
    SECRETS = {"STRIPE_SECRET_KEY": KEY}

    def test_stripe_example(self) -> None:
        result = secenv.run("shop", "python3 test_stripe.py", cwd=HERE,
                            **self.kw)
        self.assertIn("Payment successful", result.stdout)
        self.assertIn("***REDACTED***", result.stdout)
        self.assert_no_key(result.stdout, result.stderr, result.messages)
        self.assertEqual(result.stdout, STRIPE_OUT)
        self.assertEqual(result.as_dict(), {
            "stdout": STRIPE_OUT, "stderr": "", "return_code": 0,
            "working_directory": str(HERE), "env_injected": True,
            "env_count": 1, "security_blocked": False})
        self.assertTrue(result.ok)
        self.assertFalse(result.timed_out)
        self.assertTrue(result.output_sanitized)
        self.assertEqual(result.masks, {"STRIPE_SECRET_KEY": 1})
        self.assertEqual(result.project, "shop")

    def test_command_as_words(self) -> None:
        result = secenv.run("shop", ["python3", str(HERE / "test_stripe.py")],
                            **self.kw)
        self.assertEqual(result.stdout, STRIPE_OUT)

    def test_own_status_is_a_result(self) -> None:
        for status in (3, 1, 100, 111):
            result = secenv.run("shop", f"echo out; echo err >&2; exit {status}",
                                **self.kw)
            self.assertEqual((result.return_code, result.stdout, result.stderr),
                             (status, "out\n", "err\n"))
            self.assertFalse(result.security_blocked)

    def test_not_found_is_127(self) -> None:
        result = secenv.run("shop", "no-such-command-xyz", **self.kw)
        self.assertEqual(result.return_code, 127)
        self.assertIn("no-such-command-xyz: not found", result.stderr)

    def test_blocked(self) -> None:
        with self.assertRaises(secenv.SecenvBlocked) as caught:
            secenv.run("shop", "printenv", **self.kw)
        e = caught.exception
        self.assertEqual(e.status, 1)
        self.assertEqual(e.reason, "printenv is denied by the policy")
        self.assertIsNotNone(e.result)
        assert e.result is not None
        self.assertTrue(e.result.security_blocked)
        self.assertEqual(e.result.stdout, "")
        self.assertFalse(e.result.env_injected)
        self.assert_no_key(str(e), e.stderr, e.result.stdout)

    def test_timeout(self) -> None:
        result = secenv.run("shop", "echo started; sleep 60", timeout=2,
                            **self.kw)
        self.assertTrue(result.timed_out)
        self.assertEqual(result.return_code, 124)
        self.assertEqual(result.stdout, "started\n")
        self.assertIn("timed out after 2s", result.stderr)

    def test_usage_error(self) -> None:
        with self.assertRaises(secenv.SecenvUsageError) as caught:
            secenv.run("../shop", "true", **self.kw)
        self.assertEqual(caught.exception.status, 100)
        self.assertEqual(str(caught.exception),
                         "secenv: invalid project id: ../shop")
        with self.assertRaises(secenv.SecenvUsageError):
            secenv.run("shop", "true", timeout=0, **self.kw)
        with self.assertRaises(secenv.SecenvUsageError):
            secenv.set_secret("shop", "BAD-NAME", "value-1234", **self.kw)
        with self.assertRaises(secenv.SecenvUsageError):
            secenv.set_secret("shop", "NUL_VALUE", "a\0b-value", **self.kw)

    def test_failure_broken_store(self) -> None:
        (self.tmp / "home" / "store" / "shop.vault").write_bytes(b"garbage\n")
        with self.assertRaises(secenv.SecenvFailure) as caught:
            secenv.run("shop", "echo hi", **self.kw)
        self.assertEqual(caught.exception.status, 111)
        self.assertIn("not a secenv store", str(caught.exception))
        with self.assertRaises(secenv.SecenvFailure):
            secenv.list_names("shop", **self.kw)

    def test_failure_fetch_after_names(self) -> None:
        # a revoked project: the names are read, the fetch is refused; the
        # run's object says 111 and secenv says it gave up
        subprocess.run([SECENV, "revoke", "-p", "shop"], env=self.env,
                       check=True, stderr=subprocess.DEVNULL)
        with self.assertRaises(secenv.SecenvFailure) as caught:
            secenv.run("shop", "echo hi", **self.kw)
        e = caught.exception
        self.assertEqual(e.status, 111)
        self.assertEqual(str(e), "secenv: run: cannot fetch the secrets of "
                         "shop; nothing was run")
        self.assertIn("vaultfetch: project shop is revoked\n", e.stderr)

    def test_failure_missing_home(self) -> None:
        env = dict(self.env, SECENV_HOME=str(self.tmp / "nowhere"))
        with self.assertRaises(secenv.SecenvFailure) as caught:
            secenv.run("shop", "true", secenv=SECENV, env=env)
        self.assertEqual(caught.exception.status, 111)
        self.assertIn("refusing to run", str(caught.exception))

    def test_ten_megabytes(self) -> None:
        result = secenv.run(
            "shop", "yes abcdefghi | head -c 10485760; python3 test_stripe.py",
            cwd=HERE, **self.kw)
        self.assertEqual(result.return_code, 0)
        self.assertEqual(len(result.stdout), 10485760 + len(STRIPE_OUT))
        self.assertEqual(result.stdout, "abcdefghi\n" * 1048576 + STRIPE_OUT)

    def test_twenty_at_once(self) -> None:
        async def all_runs() -> list[secenv.RunResult]:
            return await asyncio.gather(*(
                secenv.run_async("shop", f"echo run-{i}; sh show_key.sh",
                                 cwd=HERE, **self.kw) for i in range(20)))

        results = asyncio.run(all_runs())
        for i, result in enumerate(results):
            self.assertEqual(result.stdout,
                             f"run-{i}\nkey: sk_test_***REDACTED***\n")
            self.assert_no_key(result.stdout, result.stderr)

    def test_async_errors(self) -> None:
        with self.assertRaises(secenv.SecenvBlocked):
            asyncio.run(secenv.run_async("shop", "env", **self.kw))
        with self.assertRaises(secenv.SecenvUsageError):
            asyncio.run(secenv.run_async("a/b", "true", **self.kw))
        result = asyncio.run(secenv.run_async("shop", "sleep 60", timeout=1,
                                              **self.kw))
        self.assertEqual((result.timed_out, result.return_code), (True, 124))

    def test_secenv_notices_are_messages(self) -> None:
        env = dict(self.env, AZURE_KEY_VAULT_URL="https://kv1.vault.azure.net")
        result = secenv.run("shop", "echo out; echo err >&2", secenv=SECENV,
                            env=env)
        self.assertEqual((result.stdout, result.stderr), ("out\n", "err\n"))
        self.assertEqual(result.messages, "secenv: AZURE_KEY_VAULT_URL is not "
                         "used: the backend is the local store "
                         "(SECENV_BACKEND=azure selects Azure Key Vault)\n")

    def test_without_injection(self) -> None:
        result = secenv.run("shop", "python3 sha256_env.py STRIPE_SECRET_KEY",
                            cwd=HERE, env_inject=False, **self.kw)
        self.assertEqual(result.stdout, "unset\n")
        self.assertEqual((result.env_injected, result.env_count), (False, 0))


class TestSecrets(ClientTest):
    def test_value_with_newlines_and_quotes(self) -> None:
        value = ("first line\n\"double\" 'single' `tick` $HOME \\n \\\n"
                 "ünïcode ✓\n\nlast line\n")
        secenv.set_secret("shop", "MULTI_LINE", value, **self.kw)
        result = secenv.run("shop", "python3 sha256_env.py MULTI_LINE",
                            cwd=HERE, **self.kw)
        self.assertEqual(result.stdout, hashlib.sha256(
            value.encode()).hexdigest() + "\n")
        raw = b"raw\x01bytes\xff\n"
        secenv.set_secret("shop", "RAW_BYTES", raw, **self.kw)
        result = secenv.run("shop", "python3 sha256_env.py RAW_BYTES",
                            cwd=HERE, **self.kw)
        self.assertEqual(result.stdout, hashlib.sha256(raw).hexdigest() + "\n")

    def test_list_names(self) -> None:
        self.assertEqual(secenv.list_names("shop", **self.kw), [])
        for name in ("ZETA_KEY", "ALPHA_KEY"):
            secenv.set_secret("shop", name, f"{name.lower()}-value-1", **self.kw)
        self.assertEqual(secenv.list_names("shop", **self.kw),
                         ["ALPHA_KEY", "ZETA_KEY"])

    def test_read(self) -> None:
        secenv.set_secret("shop", "STRIPE_SECRET_KEY", KEY, **self.kw)
        config = self.tmp / "config.txt"
        config.write_text(f"key = {KEY}\nmode = test\n")
        self.assertEqual(secenv.read("shop", config, **self.kw),
                         "key = sk_test_***REDACTED***\nmode = test\n")
        dotenv = self.tmp / ".env"
        dotenv.write_text(f"STRIPE_SECRET_KEY={KEY}\n")
        with self.assertRaises(secenv.SecenvBlocked) as caught:
            secenv.read("shop", dotenv, **self.kw)
        self.assertEqual(caught.exception.reason,
                         f"reads protected path {dotenv}")
        self.assert_no_key(str(caught.exception), caught.exception.stderr)
        with self.assertRaises(secenv.SecenvFailure):
            secenv.read("shop", self.tmp / "missing.txt", **self.kw)


class TestLocate(unittest.TestCase):
    def test_order(self) -> None:
        with mock.patch.dict(os.environ, {"SECENV": "/opt/secenv/bin/secenv"}):
            self.assertEqual(secenv.find_secenv("/x/secenv"), "/x/secenv")
            self.assertEqual(secenv.find_secenv(), "/opt/secenv/bin/secenv")
        with mock.patch.dict(os.environ, {"PATH": str(SRC / "bin")}):
            os.environ.pop("SECENV", None)
            self.assertEqual(secenv.find_secenv(), SECENV)
        with mock.patch.dict(os.environ, {"PATH": "/nonexistent"}):
            os.environ.pop("SECENV", None)
            with self.assertRaises(secenv.SecenvFailure) as caught:
                secenv.find_secenv()
            self.assertEqual(caught.exception.status, 127)

    def test_missing_executable(self) -> None:
        with self.assertRaises(secenv.SecenvFailure) as caught:
            secenv.run("shop", "true", secenv="/nonexistent/secenv")
        self.assertEqual(caught.exception.status, 127)


class TapResult(unittest.TestResult):
    """Each test as one TAP line, failures' tracebacks as comments."""

    def __init__(self) -> None:
        super().__init__()
        self.number = 0

    def _line(self, ok: bool, test: unittest.TestCase, note: str = "") -> None:
        self.number += 1
        name = test.id().split(".", 1)[-1]
        print(f"{'ok' if ok else 'not ok'} {self.number} - {name}{note}",
              flush=True)

    def addSuccess(self, test: unittest.TestCase) -> None:
        super().addSuccess(test)
        self._line(True, test)

    def _fail(self, test: unittest.TestCase, err) -> None:
        self._line(False, test)
        for line in "".join(traceback.format_exception(*err)).splitlines():
            print(f"# {line}", flush=True)

    def addFailure(self, test: unittest.TestCase, err) -> None:
        super().addFailure(test, err)
        self._fail(test, err)

    def addError(self, test: unittest.TestCase, err) -> None:
        super().addError(test, err)
        self._fail(test, err)

    def addSkip(self, test: unittest.TestCase, reason: str) -> None:
        super().addSkip(test, reason)
        self._line(True, test, f" # SKIP {reason}")


def main() -> int:
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    print(f"1..{suite.countTestCases()}", flush=True)
    result = TapResult()
    suite.run(result)
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
