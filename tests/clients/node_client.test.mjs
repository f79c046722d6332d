// SPDX-License-Identifier: ISC
// Tests of clients/node/secenv.mjs against the real programs (node --test).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { accessSync, constants, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { after, afterEach, beforeEach, test } from "node:test";
import { fileURLToPath } from "node:url";

import * as secenv from "../../clients/node/secenv.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const SRC = resolve(HERE, "../..");
const SECENV = join(SRC, "bin", "secenv");
const SECENV_BIN = process.env.SECENV_BIN || join(SRC, "bin");
const KEY = "sk_test_123456789";
const STRIPE_OUT = "Using Stripe key: sk_test_***REDACTED***\nPayment successful\n";
// Settings of the caller's that would change what is tested.
const UNSET = ["SECENV_BACKEND", "SECENV_PROJECT", "SECENV_FORCE", "SECENV",
"AZURE_KEY_VAULT_URL", "SECENV_AZURE_VAULT_URL", "ENABLE_SECRET_INJECTION",
"ENABLE_OUTPUT_SANITIZATION", "BLOCK_ENV_FILE_ACCESS", "AUDIT_SECRET_ACCESS"];

/** @type {string} */ let tmp;
/** @type {Record<string, string>} */ let env;
/** @type {{secenv: string, env: Record<string, string>}} */ let kw;

/** @param {...string} texts */
function assertNoKey(...texts) {
for (const text of texts) {
  assert.ok(!text.includes(KEY), "the key is shown");
  assert.ok(!text.includes("123456789"), "a piece of the key is shown");
}
}

/** @param {string} value */
function sha256(value) {
return createHash("sha256").update(value).digest("hex");
}

/** @type {string | undefined} */ let initHome;

/** A fresh SECENV_HOME and runtime directory per test: the home a copy of
 * one that `secenv init` made once (an init costs five times a copy). */
function freshHome() {
tmp = mkdtempSync(join(tmpdir(), "secenv-node-"));
env = {};
for (const [k, v] of Object.entries(process.env))
  if (v !== undefined && !UNSET.includes(k)) env[k] = v;
Object.assign(env, {
  PATH: `${SECENV_BIN}:${join(SRC, "bin")}:${process.env.PATH ?? "/usr/bin:/bin"}`,
  SECENV_BIN,
  SECENV_HOME: join(tmp, "home"),
  XDG_RUNTIME_DIR: join(tmp, "run"),
});
mkdirSync(join(tmp, "run"), { mode: 0o700 });
if (initHome === undefined) {
  const dir = mkdtempSync(join(tmpdir(), "secenv-node-init-"));
  execFileSync(SECENV, ["init"], {
    env: { ...env, SECENV_HOME: join(dir, "home") }, stdio: ["ignore", "ignore", "inherit"],
  });
  initHome = join(dir, "home");
}
cpSync(initHome, env.SECENV_HOME, { recursive: true, preserveTimestamps: true });
kw = { secenv: SECENV, env };
}

beforeEach(freshHome);

/** @type {string | undefined} */ let keyHome;

/** The example's key in project shop: stored by setSecret into one home
 * once, copied into each test's (a set costs more than most tests). */
async function storeKey() {
  if (keyHome === undefined) {
    const dir = mkdtempSync(join(tmpdir(), "secenv-node-key-"));
    const kenv = { ...env, SECENV_HOME: join(dir, "home"), XDG_RUNTIME_DIR: join(dir, "run") };
    mkdirSync(join(dir, "run"), { mode: 0o700 });
    execFileSync(SECENV, ["init"], { env: kenv, stdio: ["ignore", "ignore", "inherit"] });
    await secenv.setSecret("shop", "STRIPE_SECRET_KEY", KEY, { secenv: SECENV, env: kenv });
    keyHome = join(dir, "home");
  }
  rmSync(env.SECENV_HOME, { recursive: true, force: true });
  cpSync(keyHome, env.SECENV_HOME, { recursive: true, preserveTimestamps: true });
}

afterEach(() => rmSync(tmp, { recursive: true, force: true }));
after(() => {
  for (const home of [initHome, keyHome])
    if (home !== undefined) rmSync(dirname(home), { recursive: true, force: true });
});

test("the Stripe example: the key is used, and masked", async () => {
  await storeKey();
  const result = await secenv.run("shop", "node test_stripe.js", { cwd: HERE, ...kw });
  assert.ok(result.stdout.includes("Payment successful"));
  assert.ok(result.stdout.includes("***REDACTED***"));
  assertNoKey(result.stdout, result.stderr, result.messages);
  assert.equal(result.stdout, STRIPE_OUT);
  assert.deepEqual(result.asDict(), {
    stdout: STRIPE_OUT, stderr: "", return_code: 0, working_directory: HERE,
    env_injected: true, env_count: 1, security_blocked: false,
  });
  assert.equal(result.ok, true);
  assert.equal(result.timed_out, false);
  assert.deepEqual(result.masks, { STRIPE_SECRET_KEY: 1 });
});

test("the Python example through the Node module", async () => {
  await storeKey();
  const result = await secenv.run("shop", ["python3", join(HERE, "test_stripe.py")], kw);
  assert.equal(result.stdout, STRIPE_OUT);
});

test("the command's own status is a result", async () => {
  await storeKey();
  for (const status of [3, 1, 100, 111]) {
    const result = await secenv.run("shop", `echo out; echo err >&2; exit ${status}`, kw);
    assert.deepEqual([result.return_code, result.stdout, result.stderr],
      [status, "out\n", "err\n"]);
    assert.equal(result.security_blocked, false);
  }
});

test("blocked: SecenvBlocked with the guard's reason", async () => {
  await storeKey();
  const e = await secenv.run("shop", "printenv", kw).then(
    () => assert.fail("not blocked"), (err) => err);
  assert.ok(e instanceof secenv.SecenvBlocked);
  assert.equal(e.status, 1);
  assert.equal(e.reason, "printenv is denied by the policy");
  assert.equal(e.result.security_blocked, true);
  assert.equal(e.result.env_injected, false);
  assertNoKey(e.message, e.stderr, e.result.stdout);
});

test("timeout: a result with timed_out and 124", async () => {
  await storeKey();
  const result = await secenv.run("shop", "echo started; sleep 60", { timeout: 2, ...kw });
  assert.equal(result.timed_out, true);
  assert.equal(result.return_code, 124);
  assert.equal(result.stdout, "started\n");
  assert.match(result.stderr, /timed out after 2s/);
});

test("usage error: SecenvUsageError (100)", async () => {
  await storeKey();
  await assert.rejects(secenv.run("../shop", "true", kw), (e) => {
    assert.ok(e instanceof secenv.SecenvUsageError);
    assert.equal(e.status, 100);
    assert.equal(e.message, "secenv: invalid project id: ../shop");
    return true;
  });
  await assert.rejects(secenv.run("shop", "true", { timeout: 0, ...kw }),
    secenv.SecenvUsageError);
  await assert.rejects(secenv.setSecret("shop", "BAD-NAME", "value-1234", kw),
    secenv.SecenvUsageError);
  await assert.rejects(secenv.setSecret("shop", "NUL_VALUE", "a\0b-value", kw),
    secenv.SecenvUsageError);
});

test("failure: a broken store is SecenvFailure (111)", async () => {
  await storeKey();
  writeFileSync(join(tmp, "home", "store", "shop.vault"), "garbage\n");
  await assert.rejects(secenv.run("shop", "echo hi", kw), (e) => {
    assert.ok(e instanceof secenv.SecenvFailure);
    assert.equal(e.status, 111);
    assert.match(e.message, /not a secenv store/);
    return true;
  });
  await assert.rejects(secenv.listNames("shop", kw), secenv.SecenvFailure);
});

test("failure: a fetch refused after the names were read", async () => {
  await storeKey();
  execFileSync(SECENV, ["revoke", "-p", "shop"], { env, stdio: "ignore" });
  await assert.rejects(secenv.run("shop", "echo hi", kw), (e) => {
    assert.ok(e instanceof secenv.SecenvFailure);
    assert.equal(e.status, 111);
    assert.equal(e.message, "secenv: run: cannot fetch the secrets of shop; nothing was run");
    assert.ok(e.stderr.includes("vaultfetch: project shop is revoked\n"));
    return true;
  });
});

test("failure: a missing home", async () => {
  await storeKey();
  await assert.rejects(
    secenv.run("shop", "true", { secenv: SECENV, env: { ...env, SECENV_HOME: join(tmp, "nowhere") } }),
    (e) => e instanceof secenv.SecenvFailure && e.status === 111 && /refusing to run/.test(e.message));
});

test("10 MB of output", async () => {
  await storeKey();
  const result = await secenv.run("shop",
    "yes abcdefghi | head -c 10485760; node test_stripe.js", { cwd: HERE, ...kw });
  assert.equal(result.return_code, 0);
  assert.equal(result.stdout.length, 10485760 + STRIPE_OUT.length);
  assert.ok(result.stdout === "abcdefghi\n".repeat(1048576) + STRIPE_OUT);
});

test("20 runs at once", async () => {
  await storeKey();
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) =>
    secenv.run("shop", `echo run-${i}; sh show_key.sh`, { cwd: HERE, ...kw })));
  results.forEach((result, i) => {
    assert.equal(result.stdout, `run-${i}\nkey: sk_test_***REDACTED***\n`);
    assertNoKey(result.stdout, result.stderr);
  });
});

test("secenv's own notices are messages, apart from the command's streams", async () => {
  await storeKey();
  const result = await secenv.run("shop", "echo out; echo err >&2",
    { secenv: SECENV, env: { ...env, AZURE_KEY_VAULT_URL: "https://kv1.vault.azure.net" } });
  assert.deepEqual([result.stdout, result.stderr], ["out\n", "err\n"]);
  assert.equal(result.messages, "secenv: AZURE_KEY_VAULT_URL is not used: the backend is " +
    "the local store (SECENV_BACKEND=azure selects Azure Key Vault)\n");
});

test("envInject false: the command gets no secret", async () => {
  await storeKey();
  const result = await secenv.run("shop", "python3 sha256_env.py STRIPE_SECRET_KEY",
    { cwd: HERE, envInject: false, ...kw });
  assert.equal(result.stdout, "unset\n");
  assert.deepEqual([result.env_injected, result.env_count], [false, 0]);
});

test("an aborted run rejects", async () => {
  await storeKey();
  const controller = new AbortController();
  const running = secenv.run("shop", "sleep 60", { signal: controller.signal, ...kw });
  setTimeout(() => controller.abort(), 200);
  await assert.rejects(running, (e) => e instanceof secenv.SecenvFailure && /aborted/.test(e.message));
});

test("setSecret: newlines and quotes arrive byte for byte", async () => {
  const value = "first line\n\"double\" 'single' `tick` $HOME \\n \\\nünïcode ✓\n\nlast line\n";
  await secenv.setSecret("shop", "MULTI_LINE", value, kw);
  let result = await secenv.run("shop", "python3 sha256_env.py MULTI_LINE", { cwd: HERE, ...kw });
  assert.equal(result.stdout, `${sha256(value)}\n`);
  const raw = Buffer.from([0x72, 0x61, 0x77, 0x01, 0xff, 0x0a]);
  await secenv.set_secret("shop", "RAW_BYTES", raw, kw);
  result = await secenv.run("shop", "python3 sha256_env.py RAW_BYTES", { cwd: HERE, ...kw });
  assert.equal(result.stdout, `${createHash("sha256").update(raw).digest("hex")}\n`);
});

test("listNames: sorted names", async () => {
  assert.deepEqual(await secenv.listNames("shop", kw), []);
  for (const name of ["ZETA_KEY", "ALPHA_KEY"])
    await secenv.setSecret("shop", name, `${name.toLowerCase()}-value-1`, kw);
  assert.deepEqual(await secenv.list_names("shop", kw), ["ALPHA_KEY", "ZETA_KEY"]);
});

test("read: masked content; a .env file is blocked", async () => {
  await secenv.setSecret("shop", "STRIPE_SECRET_KEY", KEY, kw);
  const config = join(tmp, "config.txt");
  writeFileSync(config, `key = ${KEY}\nmode = test\n`);
  assert.equal(await secenv.read("shop", config, kw),
    "key = sk_test_***REDACTED***\nmode = test\n");
  const dotenv = join(tmp, ".env");
  writeFileSync(dotenv, `STRIPE_SECRET_KEY=${KEY}\n`);
  await assert.rejects(secenv.read("shop", dotenv, kw), (e) => {
    assert.ok(e instanceof secenv.SecenvBlocked);
    assert.equal(e.reason, `reads protected path ${dotenv}`);
    assertNoKey(e.message, e.stderr);
    return true;
  });
  await assert.rejects(secenv.read("shop", join(tmp, "missing.txt"), kw),
    secenv.SecenvFailure);
});

test("the executable: the option, SECENV, PATH", () => {
  const saved = { SECENV: process.env.SECENV, PATH: process.env.PATH };
  try {
    process.env.SECENV = "/opt/secenv/bin/secenv";
    assert.equal(secenv.findSecenv("/x/secenv"), "/x/secenv");
    assert.equal(secenv.findSecenv(), "/opt/secenv/bin/secenv");
    delete process.env.SECENV;
    process.env.PATH = join(SRC, "bin");
    assert.equal(secenv.findSecenv(), SECENV);
    process.env.PATH = "/nonexistent";
    assert.throws(() => secenv.findSecenv(),
      (e) => e instanceof secenv.SecenvFailure && e.status === 127);
  } finally {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k]; else process.env[k] = v;
  }
});

test("a missing executable rejects with 127", async () => {
  await assert.rejects(secenv.run("shop", "true", { secenv: "/nonexistent/secenv", env }),
    (e) => e instanceof secenv.SecenvFailure && e.status === 127);
});

/** Whether npm is on PATH (node may come without it); looked up, not
 * started, as its start-up costs as much as a test. */
function haveNpm() {
  return (process.env.PATH ?? "").split(":").some((dir) => {
    try {
      accessSync(join(dir || ".", "npm"), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

test("npm install ./clients/node works offline, and the module loads by name",
  { skip: !haveNpm() && "npm is not installed" }, () => {
  const app = join(tmp, "app");
  mkdirSync(app);
  writeFileSync(join(app, "package.json"), '{"name":"app","private":true,"type":"module"}\n');
  execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund",
    "--loglevel=error", join(SRC, "clients", "node")],
  { cwd: app, env: { ...env, npm_config_cache: join(tmp, "npm-cache") }, stdio: ["ignore", "ignore", "inherit"] });
  const out = execFileSync("node", ["--input-type=module", "-e",
    'import * as s from "secenv"; console.log(typeof s.run, typeof s.setSecret, typeof s.RunResult)'],
  { cwd: app, env, encoding: "utf8" });
  assert.equal(out, "function function function\n");
});
