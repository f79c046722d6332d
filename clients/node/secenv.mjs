// SPDX-License-Identifier: ISC
// secenv for Node backends: run commands with a project's secrets, masked.
/**
 * One ES module, no dependencies (Node 18 or later). Every call starts the
 * `secenv` program with its three standard streams on pipes (never the
 * caller's own descriptors, which may be sockets); no secret value ever
 * passes through this module: `setSecret` writes the value to `secenv set`
 * on its standard input, never in argv or the environment.
 *
 *     import * as secenv from "secenv";
 *     await secenv.setSecret("shop", "STRIPE_SECRET_KEY", key);
 *     const result = await secenv.run("shop", "node test_stripe.js", { timeout: 60 });
 *     console.log(result.stdout);   // masked: sk_test_***REDACTED***
 *     result.asDict();              // stdout, stderr, return_code, ...
 *
 * A promise rejects only when secenv itself said no: SecenvUsageError
 * (100), SecenvFailure (111, or anything else that kept secenv from
 * answering) and SecenvBlocked (1, the guard's refusal, with its reason).
 * The command's own status, a timeout (`timed_out`, `return_code` 124)
 * included, is a result.
 *
 * The secenv executable: the `secenv` option of each call, else the
 * `SECENV` environment variable, else `secenv` on `PATH`.
 *
 * @module secenv
 */

import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

export const EXIT_NO = 1;
export const EXIT_USAGE = 100;
export const EXIT_FAIL = 111;

/* secenv run stops the command at its timeout and gives the process group
 * 5 s more; past this margin it is secenv itself that hangs. */
const HANG_MARGIN_S = 30;
/* After a TERM (on which secenv stops the command's process group), how
 * long secenv gets before it is killed. */
const TERM_GRACE_MS = 10000;
const DENIED_PREFIX = "cmdguard: denied: ";
/* With --json, secenv's own standard error holds only its messages; one of
 * these last says it gave up (the fetch, the audit record). */
const RUN_GAVE_UP_PREFIX = "secenv: run: ";

/**
 * @typedef {object} CallOptions
 * @property {string} [secenv] the secenv executable (else $SECENV, else PATH)
 * @property {Record<string, string | undefined>} [env] the environment secenv starts with (default: process.env)
 */

/**
 * @typedef {object} RunOptions
 * @property {string} [cwd] where the command runs (`secenv run -C`)
 * @property {number | null} [timeout] seconds, rounded up (default 120; null: secenv's own, 300)
 * @property {boolean} [envInject] false turns injection off (ENABLE_SECRET_INJECTION=false); true leaves the switches as the environment sets them
 * @property {AbortSignal} [signal] aborting sends secenv a TERM (it stops the command) and rejects
 * @property {string} [secenv] the secenv executable (else $SECENV, else PATH)
 * @property {Record<string, string | undefined>} [env] the environment secenv starts with (default: process.env)
 */

/** secenv refused or failed; `status` is its exit status, `stderr` its
 * messages (secenv's own: they never hold a value). */
export class SecenvError extends Error {
  /**
   * @param {string} message
   * @param {number} status
   * @param {string} [stderr]
   */
  constructor(message, status, stderr = "") {
    super(message);
    this.name = new.target.name;
    /** @type {number} */
    this.status = status;
    /** @type {string} */
    this.stderr = stderr;
  }
}

/** Exit 100: a bad project id, name, option or switch combination. */
export class SecenvUsageError extends SecenvError {}

/** Exit 111 (a store, key, backend or audit log failure), or secenv could
 * not be started, was killed, or did not finish. */
export class SecenvFailure extends SecenvError {}

/** Exit 1: the guard refused the command or the file. */
export class SecenvBlocked extends SecenvError {
  /**
   * @param {string} reason why, as the guard says it
   * @param {string} [stderr]
   * @param {RunResult | null} [result] the run's result, when there was one
   */
  constructor(reason, stderr = "", result = null) {
    super(`blocked: ${reason}`, EXIT_NO, stderr);
    /** @type {string} */
    this.reason = reason;
    /** @type {RunResult | null} */
    this.result = result;
  }
}

/** One `secenv run --json` object. `stdout` and `stderr` are the command's
 * streams, masked; `messages` is what secenv itself said on its standard
 * error (notices; never a value). */
export class RunResult {
  /**
   * @param {Record<string, any>} obj the decoded --json object
   * @param {string} [messages]
   */
  constructor(obj, messages = "") {
    /** @type {string} */ this.stdout = String(obj.stdout);
    /** @type {string} */ this.stderr = String(obj.stderr);
    /** @type {number} */ this.return_code = Number(obj.return_code);
    /** @type {string} */ this.working_directory = String(obj.working_directory ?? "");
    /** @type {boolean} */ this.env_injected = Boolean(obj.env_injected);
    /** @type {number} */ this.env_count = Number(obj.env_count ?? 0);
    /** @type {boolean} */ this.security_blocked = Boolean(obj.security_blocked);
    /** @type {boolean} */ this.timed_out = Boolean(obj.timed_out);
    /** @type {string} */ this.project = String(obj.project ?? "");
    /** @type {number} */ this.duration_ms = Number(obj.duration_ms ?? 0);
    /** @type {boolean} */ this.output_sanitized = Boolean(obj.output_sanitized);
    /** @type {Record<string, number>} */ this.masks = { ...(obj.masks ?? {}) };
    /** @type {string} */ this.messages = messages;
  }

  /** True when the command exited 0. */
  get ok() {
    return this.return_code === 0;
  }

  /**
   * The original worker's object: stdout, stderr, return_code,
   * working_directory, env_injected, env_count, security_blocked.
   * @returns {{stdout: string, stderr: string, return_code: number, working_directory: string, env_injected: boolean, env_count: number, security_blocked: boolean}}
   */
  asDict() {
    return {
      stdout: this.stdout,
      stderr: this.stderr,
      return_code: this.return_code,
      working_directory: this.working_directory,
      env_injected: this.env_injected,
      env_count: this.env_count,
      security_blocked: this.security_blocked,
    };
  }
}

/**
 * The secenv executable: `secenv` if given, else $SECENV, else `secenv`
 * on PATH. Throws SecenvFailure (127) when none is found.
 * @param {string} [secenv]
 * @returns {string}
 */
export function findSecenv(secenv) {
  if (secenv) return secenv;
  if (process.env.SECENV) return process.env.SECENV;
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, "secenv");
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      /* not here */
    }
  }
  throw new SecenvFailure(
    "secenv: not found (pass secenv, set SECENV, or put it on PATH)", 127);
}

/**
 * @param {Record<string, string | undefined> | undefined} env
 * @param {boolean} [envInject]
 * @returns {Record<string, string>}
 */
function environment(env, envInject = true) {
  /** @type {Record<string, string>} */
  const out = {};
  for (const [k, v] of Object.entries(env ?? process.env))
    if (v !== undefined) out[k] = v;
  if (!envInject) out.ENABLE_SECRET_INJECTION = "false";
  return out;
}

/** @param {string} text */
function lastLine(text) {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  return lines.length ? lines[lines.length - 1] : "";
}

/** @param {string} line */
function deniedReason(line) {
  return line.startsWith(DENIED_PREFIX) ? line.slice(DENIED_PREFIX.length) : line;
}

/**
 * The error for a status that is secenv's own answer.
 * @param {number | null} status
 * @param {string | null} signal
 * @param {string} stderr
 * @param {string} what
 * @returns {SecenvError}
 */
function statusError(status, signal, stderr, what) {
  if (status === null)
    return new SecenvFailure(`${what}: secenv killed by ${signal}`, -1, stderr);
  const message = lastLine(stderr) || `${what}: exit status ${status}`;
  if (status === EXIT_USAGE) return new SecenvUsageError(message, status, stderr);
  if (status === EXIT_NO) return new SecenvBlocked(deniedReason(message), stderr);
  return new SecenvFailure(message, status, stderr);
}

/**
 * @param {string} out
 * @returns {Record<string, any> | null}
 */
function jsonObject(out) {
  try {
    const obj = JSON.parse(out);
    return obj && typeof obj === "object" && "return_code" in obj ? obj : null;
  } catch {
    return null;
  }
}

/**
 * Start secenv with pipes, give it stdin, collect both streams.
 * @param {string[]} argv
 * @param {Record<string, string>} env
 * @param {Buffer} input
 * @param {number | null} limitMs
 * @param {string} what
 * @param {AbortSignal} [signal]
 * @returns {Promise<{status: number | null, signal: string | null, out: string, err: string}>}
 */
function communicate(argv, env, input, limitMs, what, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new SecenvFailure(`${what}: aborted`, EXIT_FAIL));
      return;
    }
    const child = spawn(argv[0], argv.slice(1), {
      env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    /** @type {Buffer[]} */ const out = [];
    /** @type {Buffer[]} */ const err = [];
    /** @type {SecenvError | null} */ let failure = null;
    /** @type {NodeJS.Timeout | undefined} */ let killTimer;
    const stop = (/** @type {SecenvError} */ why) => {
      if (failure) return;
      failure = why;
      child.kill("SIGTERM");
      killTimer = setTimeout(() => child.kill("SIGKILL"), TERM_GRACE_MS);
    };
    const guard = limitMs === null ? undefined : setTimeout(
      () => stop(new SecenvFailure(
        `${what}: secenv did not finish within ${limitMs / 1000} s`, EXIT_FAIL)),
      limitMs);
    const onAbort = () => stop(new SecenvFailure(`${what}: aborted`, EXIT_FAIL));
    signal?.addEventListener("abort", onAbort, { once: true });
    child.stdout.on("data", (/** @type {Buffer} */ b) => out.push(b));
    child.stderr.on("data", (/** @type {Buffer} */ b) => err.push(b));
    child.stdin.on("error", () => {}); /* secenv may not read it all */
    child.on("error", (/** @type {NodeJS.ErrnoException} */ e) => {
      clearTimeout(guard);
      signal?.removeEventListener("abort", onAbort);
      reject(new SecenvFailure(`${what}: ${argv[0]}: ${e.message}`,
        e.code === "ENOENT" ? 127 : 126));
    });
    child.on("close", (status, sig) => {
      clearTimeout(guard);
      clearTimeout(killTimer);
      signal?.removeEventListener("abort", onAbort);
      if (failure) {
        reject(failure);
        return;
      }
      resolve({
        status,
        signal: sig,
        out: Buffer.concat(out).toString("utf8"),
        err: Buffer.concat(err).toString("utf8"),
      });
    });
    child.stdin.end(input);
  });
}

/**
 * Run `command` with the secrets of `project`; the output comes back
 * masked.
 *
 * `command` is one shell command line (as an agent sends it) or an array
 * of words run directly (an array of one word is a command line too).
 * Rejects with SecenvBlocked, SecenvUsageError or SecenvFailure when
 * secenv itself said no; the command's own non-zero status is a result.
 *
 * @param {string} project
 * @param {string | string[]} command
 * @param {RunOptions} [options]
 * @returns {Promise<RunResult>}
 */
export async function run(project, command, options = {}) {
  const { cwd, timeout = 120, envInject = true, signal } = options;
  const argv = [findSecenv(options.secenv), "run", "--json", "-p", project];
  if (timeout !== null && timeout !== undefined)
    argv.push("-t", String(Math.ceil(timeout)));
  if (cwd !== undefined && cwd !== null) argv.push("-C", String(cwd));
  argv.push("--", ...(typeof command === "string" ? [command] : command));
  const limitMs = timeout === null || timeout === undefined
    ? null : (Math.max(timeout, 1) + HANG_MARGIN_S) * 1000;
  const r = await communicate(argv, environment(options.env, envInject),
    Buffer.alloc(0), limitMs, "secenv run", signal);
  const obj = r.status === null ? null : jsonObject(r.out);
  if (obj === null)
    throw statusError(r.status === 0 ? EXIT_FAIL : r.status, r.signal, r.err,
      "secenv run");
  const result = new RunResult(obj, r.err);
  if (result.security_blocked)
    throw new SecenvBlocked(deniedReason(lastLine(result.stderr)),
      result.stderr, result);
  if ((r.status === EXIT_USAGE || r.status === EXIT_FAIL) &&
      lastLine(r.err).startsWith(RUN_GAVE_UP_PREFIX)) {
    const e = statusError(r.status, null, r.err, "secenv run");
    e.stderr = result.stderr + r.err;
    throw e;
  }
  return result;
}

/**
 * The content of the file `path` with the secrets of `project` masked
 * (`secenv read`). A file the guard protects (a .env file, the secenv
 * home, /proc/PID/environ) rejects with SecenvBlocked and the reason.
 * @param {string} project
 * @param {string} path
 * @param {CallOptions} [options]
 * @returns {Promise<string>}
 */
export async function read(project, path, options = {}) {
  const argv = [findSecenv(options.secenv), "read", "--json", "-p", project,
    "--", String(path)];
  const r = await communicate(argv, environment(options.env), Buffer.alloc(0),
    null, "secenv read");
  const obj = jsonObject(r.out);
  if (obj !== null && obj.security_blocked)
    throw new SecenvBlocked(String(obj.reason ?? ""), r.err);
  if (r.status !== 0 || obj === null)
    throw statusError(r.status === 0 ? EXIT_FAIL : r.status, r.signal, r.err,
      "secenv read");
  return String(obj.content);
}

/**
 * The secret names of `project`, sorted (never values).
 * @param {string} project
 * @param {CallOptions} [options]
 * @returns {Promise<string[]>}
 */
export async function listNames(project, options = {}) {
  const argv = [findSecenv(options.secenv), "list", "-p", project];
  const r = await communicate(argv, environment(options.env), Buffer.alloc(0),
    null, "secenv list");
  if (r.status !== 0) throw statusError(r.status, r.signal, r.err, "secenv list");
  return r.out.split("\n").filter((l) => l.trim() !== "")
    .map((l) => l.split(/\s/)[0]);
}

/**
 * Store `value` as `name` in `project` (`secenv set`), byte for byte: it
 * goes to secenv on its standard input, never in argv. A string is
 * encoded as UTF-8. A bad name, or a value with a NUL byte or over 64 KiB,
 * rejects with SecenvUsageError.
 * @param {string} project
 * @param {string} name
 * @param {string | Uint8Array} value
 * @param {CallOptions} [options]
 * @returns {Promise<void>}
 */
export async function setSecret(project, name, value, options = {}) {
  const argv = [findSecenv(options.secenv), "set", "-p", project, "--", name];
  const data = typeof value === "string" ? Buffer.from(value, "utf8")
    : Buffer.from(value);
  // secenv set drops one trailing newline (a typed line's): with one
  // more, every value arrives exactly as given.
  const input = Buffer.concat([data, Buffer.from("\n")]);
  try {
    const r = await communicate(argv, environment(options.env), input, null,
      "secenv set");
    if (r.status !== 0) throw statusError(r.status, r.signal, r.err, "secenv set");
  } finally {
    input.fill(0);
    data.fill(0);
  }
}

export { listNames as list_names, setSecret as set_secret };
