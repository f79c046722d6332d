# SPDX-License-Identifier: ISC
"""secenv for Python backends: run commands with a project's secrets, masked.

One file, standard library only (Python 3.9 or later). Every call starts
the ``secenv`` program; no secret value ever passes through this module
(``set_secret`` hands the value to ``secenv set`` on its standard input,
never in argv or the environment).

    import secenv
    secenv.set_secret("shop", "STRIPE_SECRET_KEY", key)
    result = secenv.run("shop", "python3 test_stripe.py", timeout=60)
    print(result.stdout)            # masked: sk_test_***REDACTED***
    result.as_dict()                # stdout, stderr, return_code, ...

Exit statuses become exceptions only when secenv itself said no:
``SecenvUsageError`` (100), ``SecenvFailure`` (111, or anything else that
kept secenv from answering) and ``SecenvBlocked`` (1, the guard's refusal,
with its reason). The command's own status, a timeout (``timed_out``,
``return_code`` 124) included, is a result.

The secenv executable: the ``secenv`` argument of each call, else the
``SECENV`` environment variable, else ``secenv`` on ``PATH``.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import shutil
import signal
import subprocess
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional, Sequence, Union

__all__ = [
    "RunResult",
    "SecenvError",
    "SecenvUsageError",
    "SecenvFailure",
    "SecenvBlocked",
    "find_secenv",
    "run",
    "run_async",
    "read",
    "list_names",
    "set_secret",
]

EXIT_NO = 1
EXIT_USAGE = 100
EXIT_FAIL = 111

# secenv run stops the command at its timeout and gives the process group
# 5 s more; past this margin it is secenv itself that hangs.
_HANG_MARGIN_S = 30
# After a TERM (which makes secenv stop the command's process group), how
# long secenv gets before it is killed.
_TERM_GRACE_S = 10
# The guard's refusal, as secenv prints it; the reason follows.
_DENIED_PREFIX = "cmdguard: denied: "
# With --json, secenv's own standard error holds only its messages; one of
# these last says it gave up (the fetch, the audit record), whatever the
# status the object shows.
_RUN_GAVE_UP_PREFIX = "secenv: run: "

Command = Union[str, Sequence[str]]


class SecenvError(Exception):
    """secenv refused or failed; ``status`` is its exit status and
    ``stderr`` its messages (secenv's own: they never hold a value)."""

    def __init__(self, message: str, status: int, stderr: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.stderr = stderr


class SecenvUsageError(SecenvError):
    """Exit 100: a bad project id, name, option or switch combination."""


class SecenvFailure(SecenvError):
    """Exit 111 (a store, key, backend or audit log failure), or secenv
    could not be started, was killed, or did not finish."""


class SecenvBlocked(SecenvError):
    """Exit 1: the guard refused the command or the file; ``reason`` says
    why, and ``result`` is the run's result when there was one."""

    def __init__(self, reason: str, stderr: str = "",
                 result: Optional["RunResult"] = None) -> None:
        super().__init__(f"blocked: {reason}", EXIT_NO, stderr)
        self.reason = reason
        self.result = result


@dataclass(frozen=True)
class RunResult:
    """One ``secenv run --json`` object. ``stdout`` and ``stderr`` are the
    command's streams, masked; ``messages`` is what secenv itself said on
    its standard error (notices; never a value)."""

    stdout: str
    stderr: str
    return_code: int
    working_directory: str
    env_injected: bool
    env_count: int
    security_blocked: bool
    timed_out: bool = False
    project: str = ""
    duration_ms: int = 0
    output_sanitized: bool = False
    masks: dict[str, int] = field(default_factory=dict)
    messages: str = ""

    @property
    def ok(self) -> bool:
        """True when the command exited 0."""
        return self.return_code == 0

    def as_dict(self) -> dict[str, Any]:
        """The original worker's dict: stdout, stderr, return_code,
        working_directory, env_injected, env_count, security_blocked."""
        return {
            "stdout": self.stdout,
            "stderr": self.stderr,
            "return_code": self.return_code,
            "working_directory": self.working_directory,
            "env_injected": self.env_injected,
            "env_count": self.env_count,
            "security_blocked": self.security_blocked,
        }

    @classmethod
    def from_json(cls, obj: Mapping[str, Any], messages: str = "") -> "RunResult":
        """A result from the decoded ``--json`` object (unknown fields,
        from a newer secenv, are ignored)."""
        return cls(
            stdout=str(obj["stdout"]),
            stderr=str(obj["stderr"]),
            return_code=int(obj["return_code"]),
            working_directory=str(obj.get("working_directory", "")),
            env_injected=bool(obj.get("env_injected", False)),
            env_count=int(obj.get("env_count", 0)),
            security_blocked=bool(obj.get("security_blocked", False)),
            timed_out=bool(obj.get("timed_out", False)),
            project=str(obj.get("project", "")),
            duration_ms=int(obj.get("duration_ms", 0)),
            output_sanitized=bool(obj.get("output_sanitized", False)),
            masks={str(k): int(v) for k, v in dict(obj.get("masks") or {}).items()},
            messages=messages,
        )


def find_secenv(secenv: Optional[str] = None) -> str:
    """The secenv executable: ``secenv`` if given, else ``$SECENV``, else
    ``secenv`` on ``PATH``. Raises SecenvFailure (127) when none is found."""
    candidate = secenv or os.environ.get("SECENV") or shutil.which("secenv")
    if not candidate:
        raise SecenvFailure("secenv: not found (pass secenv=, set SECENV, "
                            "or put it on PATH)", 127)
    return candidate


def _environment(env: Optional[Mapping[str, str]],
                 env_inject: bool = True) -> dict[str, str]:
    environment = dict(os.environ if env is None else env)
    if not env_inject:
        environment["ENABLE_SECRET_INJECTION"] = "false"
    return environment


def _run_argv(secenv: str, project: str, command: Command,
              cwd: Optional[Union[str, os.PathLike]],
              timeout: Optional[float]) -> list[str]:
    argv = [secenv, "run", "--json", "-p", project]
    if timeout is not None:
        argv += ["-t", str(math.ceil(timeout))]
    if cwd is not None:
        argv += ["-C", os.fspath(cwd)]
    argv.append("--")
    argv += [command] if isinstance(command, str) else list(command)
    return argv


def _guard_timeout(timeout: Optional[float]) -> Optional[float]:
    return None if timeout is None else max(timeout, 1) + _HANG_MARGIN_S


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def _last_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def _error(status: int, stderr: str, what: str) -> SecenvError:
    """The exception for a status that is secenv's own answer."""
    message = _last_line(stderr) or f"{what}: exit status {status}"
    if status < 0:
        return SecenvFailure(f"{what}: secenv killed by signal {-status}",
                             status, stderr)
    if status == EXIT_USAGE:
        return SecenvUsageError(message, status, stderr)
    if status == EXIT_NO:
        reason = message[len(_DENIED_PREFIX):] if message.startswith(
            _DENIED_PREFIX) else message
        return SecenvBlocked(reason, stderr)
    return SecenvFailure(message, status, stderr)


def _json_object(out: bytes) -> Optional[dict[str, Any]]:
    try:
        obj = json.loads(out)
    except ValueError:
        return None
    return obj if isinstance(obj, dict) and "return_code" in obj else None


def _run_outcome(status: int, out: bytes, err: bytes) -> RunResult:
    """The result of a finished ``secenv run --json``, or its exception."""
    messages = _text(err)
    obj = _json_object(out) if status >= 0 else None
    if obj is None:
        raise _error(status if status != 0 else EXIT_FAIL, messages,
                     "secenv run")
    result = RunResult.from_json(obj, messages)
    if result.security_blocked:
        line = _last_line(result.stderr)
        reason = line[len(_DENIED_PREFIX):] if line.startswith(
            _DENIED_PREFIX) else line
        raise SecenvBlocked(reason, result.stderr, result)
    if status in (EXIT_USAGE, EXIT_FAIL) and _last_line(messages).startswith(
            _RUN_GAVE_UP_PREFIX):
        error = _error(status, messages, "secenv run")
        error.stderr = result.stderr + messages
        raise error
    return result


def _hung(what: str, limit: float) -> SecenvFailure:
    return SecenvFailure(f"{what}: secenv did not finish within {limit:g} s",
                         EXIT_FAIL)


def _communicate(argv: list[str], env: Mapping[str, str], stdin: bytes,
                 limit: Optional[float], what: str) -> tuple[int, bytes, bytes]:
    try:
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=dict(env))
    except OSError as e:
        raise SecenvFailure(f"{what}: {argv[0]}: {e.strerror}",
                            127 if isinstance(e, FileNotFoundError) else 126
                            ) from None
    try:
        out, err = proc.communicate(stdin, timeout=limit)
    except subprocess.TimeoutExpired:
        # TERM first: secenv stops the command's process group on it.
        proc.send_signal(signal.SIGTERM)
        try:
            proc.communicate(timeout=_TERM_GRACE_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
        raise _hung(what, limit or 0) from None
    return proc.returncode, out, err


def run(project: str, command: Command,
        cwd: Optional[Union[str, os.PathLike]] = None,
        timeout: Optional[float] = 120, env_inject: bool = True, *,
        secenv: Optional[str] = None,
        env: Optional[Mapping[str, str]] = None) -> RunResult:
    """Run ``command`` with the secrets of ``project``; the output comes
    back masked.

    ``command`` is one shell command line (as an agent sends it) or a list
    of words run directly (a list of one word is a command line too).
    ``cwd`` is where it runs (``secenv run -C``). ``timeout`` is in
    seconds, rounded up (``None``: secenv's default, 300); the command's
    process group is killed then, and the result says ``timed_out`` with
    ``return_code`` 124. ``env_inject=False`` turns injection off
    (ENABLE_SECRET_INJECTION=false); ``True`` leaves the switches as the
    environment sets them. ``env`` is the environment secenv starts with
    (default: this process's).

    Raises SecenvBlocked, SecenvUsageError or SecenvFailure when secenv
    itself said no; the command's own non-zero status is a result.
    """
    argv = _run_argv(find_secenv(secenv), project, command, cwd, timeout)
    status, out, err = _communicate(argv, _environment(env, env_inject), b"",
                                    _guard_timeout(timeout), "secenv run")
    return _run_outcome(status, out, err)


async def run_async(project: str, command: Command,
                    cwd: Optional[Union[str, os.PathLike]] = None,
                    timeout: Optional[float] = 120, env_inject: bool = True, *,
                    secenv: Optional[str] = None,
                    env: Optional[Mapping[str, str]] = None) -> RunResult:
    """``run`` on an asyncio subprocess: the same arguments, result and
    exceptions, without blocking the event loop."""
    argv = _run_argv(find_secenv(secenv), project, command, cwd, timeout)
    limit = _guard_timeout(timeout)
    try:
        proc = await asyncio.create_subprocess_exec(
            *argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, env=_environment(env, env_inject))
    except OSError as e:
        raise SecenvFailure(f"secenv run: {argv[0]}: {e.strerror}",
                            127 if isinstance(e, FileNotFoundError) else 126
                            ) from None
    try:
        out, err = await asyncio.wait_for(proc.communicate(), limit)
    except asyncio.TimeoutError:
        proc.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(proc.wait(), _TERM_GRACE_S)
        except asyncio.TimeoutError:
            proc.kill()
            await proc.wait()
        raise _hung("secenv run", limit or 0) from None
    except BaseException:
        # cancelled: secenv stops the command's process group on TERM
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
        raise
    assert proc.returncode is not None
    return _run_outcome(proc.returncode, out, err)


def read(project: str, path: Union[str, os.PathLike], *,
         secenv: Optional[str] = None,
         env: Optional[Mapping[str, str]] = None) -> str:
    """The content of the file ``path`` with the secrets of ``project``
    masked (``secenv read``). A file the guard protects (a .env file, the
    secenv home, /proc/*/environ) raises SecenvBlocked with the reason."""
    argv = [find_secenv(secenv), "read", "--json", "-p", project, "--",
            os.fspath(path)]
    status, out, err = _communicate(argv, _environment(env), b"", None,
                                    "secenv read")
    messages = _text(err)
    obj = _json_object(out)
    if obj is not None and obj.get("security_blocked"):
        raise SecenvBlocked(str(obj.get("reason", "")), messages)
    if status != 0 or obj is None:
        raise _error(status if status != 0 else EXIT_FAIL, messages,
                     "secenv read")
    return str(obj["content"])


def list_names(project: str, *, secenv: Optional[str] = None,
               env: Optional[Mapping[str, str]] = None) -> list[str]:
    """The secret names of ``project``, sorted (never values)."""
    argv = [find_secenv(secenv), "list", "-p", project]
    status, out, err = _communicate(argv, _environment(env), b"", None,
                                    "secenv list")
    if status != 0:
        raise _error(status, _text(err), "secenv list")
    return [line.split()[0] for line in _text(out).splitlines() if line.strip()]


def set_secret(project: str, name: str, value: Union[str, bytes], *,
               secenv: Optional[str] = None,
               env: Optional[Mapping[str, str]] = None) -> None:
    """Store ``value`` as ``name`` in ``project`` (``secenv set``), byte
    for byte: it goes to secenv on its standard input, never in argv.
    A str is encoded as UTF-8. A bad name or a value with a NUL byte or
    over 64 KiB raises SecenvUsageError."""
    data = value.encode("utf-8") if isinstance(value, str) else bytes(value)
    argv = [find_secenv(secenv), "set", "-p", project, "--", name]
    # secenv set drops one trailing newline (a typed line's): with one
    # more, every value arrives exactly as given.
    status, _, err = _communicate(argv, _environment(env), data + b"\n",
                                  None, "secenv set")
    if status != 0:
        raise _error(status, _text(err), "secenv set")
