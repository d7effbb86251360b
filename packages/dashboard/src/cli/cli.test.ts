// The admin commands as a person runs them: the built `wgfleet` binary on a data dir, against a
// server running on the same data dir. Bad flags and unreadable files exit non-zero with one line.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { totpCodeAt } from "../twofactor/totp.js";
import {
  assertBuilt,
  cleanEnv,
  loginOver,
  runCli,
  type ServeProcess,
  startServe,
} from "./test-support/spawn-cli.js";

describe("wgfleet user / apikey (built CLI, SQLite data dir)", () => {
  let dataDir: string;
  let server: ServeProcess | undefined;
  const env = cleanEnv({ WGFLEET_ADMIN_PASSWORD: "first-admin-pass" });

  beforeAll(async () => {
    assertBuilt();
    dataDir = mkdtempSync(join(tmpdir(), "wgfleet-cli-"));
    server = await startServe(["--listen", "127.0.0.1:0", "--data-dir", dataDir, "--no-local"], env);
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("adds a user with the password from stdin, who can log in to the running server", async () => {
    const added = await runCli(["user", "add", "alice", "--role", "viewer", "--data-dir", dataDir], {
      input: "alice-password-1\n",
      env,
    });
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toBe("");
    expect(added.stderr).toContain('created viewer user "alice"');
    expect(added.stderr).not.toContain("alice-password-1");
    const login = await loginOver(server?.url ?? "", "alice", "alice-password-1");
    expect(login.status).toBe(200);
    expect(login.body.user?.mustChangePassword).toBe(true);
  });

  it("adds a user with the password from --password-file", async () => {
    const file = join(dataDir, "pw.txt");
    writeFileSync(file, "file-password-1\n", { mode: 0o600 });
    const added = await runCli(
      ["user", "add", "bob", "--role", "admin", "--password-file", file, "--data-dir", dataDir],
      {
        env,
      },
    );
    expect(added.code, added.stderr).toBe(0);
    expect((await loginOver(server?.url ?? "", "bob", "file-password-1")).status).toBe(200);
  });

  it("creates an API key, printed once on stdout, that works against the server", async () => {
    const created = await runCli(
      ["apikey", "create", "--user", "alice", "--name", "ci", "--data-dir", dataDir],
      { env },
    );
    expect(created.code, created.stderr).toBe(0);
    const key = created.stdout.trim();
    expect(created.stdout).toMatch(/^wgf_[A-Za-z0-9_-]{43}\n$/);
    const me = await fetch(`${server?.url}/api/v1/me`, { headers: { authorization: `Bearer ${key}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { username: string }).username).toBe("alice");
    // alice has not chosen her own password yet: the key reaches nothing else until she has.
    expect(created.stderr).toContain("must change their password first");
    const keys = await fetch(`${server?.url}/api/v1/apikeys`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(keys.status).toBe(403);
    expect(((await keys.json()) as { error: { code: string } }).error.code).toBe("PASSWORD_CHANGE_REQUIRED");
  });

  it("resets a password: a generated one is printed once and logs in; old sessions end", async () => {
    const before = await loginOver(server?.url ?? "", "bob", "file-password-1");
    const reset = await runCli(["user", "reset-password", "bob", "--generate", "--data-dir", dataDir], {
      env,
    });
    expect(reset.code, reset.stderr).toBe(0);
    const password = reset.stdout.trim();
    expect(password).toMatch(/^[A-Za-z0-9]{20}$/);
    expect((await loginOver(server?.url ?? "", "bob", "file-password-1")).status).toBe(401);
    expect((await loginOver(server?.url ?? "", "bob", password)).status).toBe(200);
    const old = await fetch(`${server?.url}/api/v1/me`, { headers: { cookie: before.cookie } });
    expect(old.status).toBe(401);
  });

  it("turns a user's two-factor sign-in off (reset-totp): the password alone signs in again", async () => {
    const url = server?.url ?? "";
    const added = await runCli(["user", "add", "dave", "--role", "viewer", "--data-dir", dataDir], {
      input: "dave-password-1\n",
      env,
    });
    expect(added.code, added.stderr).toBe(0);
    const first = await loginOver(url, "dave", "dave-password-1");
    const headers = {
      cookie: first.cookie,
      "x-csrf-token": first.csrfToken,
      "content-type": "application/json",
    };
    const post = (path: string, body: unknown) =>
      fetch(`${url}${path}`, { method: "POST", headers, body: JSON.stringify(body) });
    await post("/api/v1/users/me/password", {
      currentPassword: "dave-password-1",
      newPassword: "dave-password-2",
    });
    const { secret } = (await (await post("/api/v1/users/me/totp", {})).json()) as { secret: string };
    expect(
      (await post("/api/v1/users/me/totp/confirm", { code: totpCodeAt(secret, Date.now()) })).status,
    ).toBe(200);
    expect((await loginOver(url, "dave", "dave-password-2")).status).toBe(401);

    const reset = await runCli(["user", "reset-totp", "dave", "--data-dir", dataDir], { env });
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stderr).toContain('turned two-factor sign-in of "dave" off');
    expect((await fetch(`${url}/api/v1/me`, { headers: { cookie: first.cookie } })).status).toBe(401);
    expect((await loginOver(url, "dave", "dave-password-2")).status).toBe(200);
    const unknown = await runCli(["user", "reset-totp", "nobody", "--data-dir", dataDir], { env });
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/^wgfleet: user nobody not found/);
  });

  it.each([
    [
      ["user", "add", "carol", "--role", "admin", "--bogus"],
      /^wgfleet: unknown flag --bogus \(see --help\)\n$/,
    ],
    [["serve", "--listen"], /^wgfleet: --listen needs a value\n$/],
    [["user", "add", "carol", "--role", "root"], /^wgfleet: --role: expected admin or viewer/],
    [
      ["user", "add", "carol", "--role", "admin", "--password-file", "/nonexistent/pw"],
      /^wgfleet: --password-file: cannot read/,
    ],
    [["user", "frobnicate", "carol"], /^wgfleet: unknown user action/],
    [["apikey", "create", "--user", "nobody", "--name", "x"], /^wgfleet: user nobody not found/],
    [["apikey", "create", "--name", "x"], /^wgfleet: --user is required/],
    [["serve", "--listen", "nowhere"], /^wgfleet: --listen: expected HOST:PORT/],
    [["serve", "--metrics-token-file", "/nonexistent/token"], /^wgfleet: --metrics-token-file: cannot read/],
    [["launch"], /^wgfleet: unknown command "launch"/],
    [
      ["serve", "--no-local-login"],
      /^wgfleet: --no-local-login: turning password sign-in off needs single sign-on/,
    ],
    [["serve", "--oidc-issuer", "https://id.example.com"], /^wgfleet: --oidc-client-id: required/],
    [
      ["user", "link-sso", "alice", "--issuer", "https://id.example.com"],
      /^wgfleet: user link-sso: --subject is required/,
    ],
    [
      ["user", "link-sso", "nobody", "--issuer", "https://id.example.com", "--subject", "s"],
      /^wgfleet: user nobody not found/,
    ],
  ])("%j exits non-zero with one line", async (args, message) => {
    const result = await runCli([...args, "--data-dir", dataDir], { env });
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  it("prints its version for --version and exits 0", async () => {
    const result = await runCli(["--version"], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it("links a single sign-on identity to a user and unlinks it", async () => {
    const issuer = "https://id.example.com/realms/corp";
    const link = await runCli(
      ["user", "link-sso", "alice", "--subject", "sub-1", "--issuer", issuer, "--data-dir", dataDir],
      { env },
    );
    expect(link.code, link.stderr).toBe(0);
    expect(link.stderr).toContain(`linked "alice" to subject sub-1 at ${issuer}`);
    const again = await runCli(["user", "link-sso", "bob", "--subject", "sub-1", "--data-dir", dataDir], {
      // The issuer from the environment; sign-in settings (even a broken one) do not stop admin commands.
      env: { ...env, WGFLEET_OIDC_ISSUER: `${issuer}/`, WGFLEET_NO_LOCAL_LOGIN: "1" },
    });
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/already linked/);
    const unlink = await runCli(["user", "unlink-sso", "alice", "--issuer", issuer, "--data-dir", dataDir], {
      env,
    });
    expect(unlink.code, unlink.stderr).toBe(0);
    expect(unlink.stderr).toContain('removed 1 single sign-on identity of "alice"');
  });

  it("refuses an empty password on stdin", async () => {
    const result = await runCli(["user", "add", "dan", "--role", "viewer", "--data-dir", dataDir], {
      input: "",
      env,
    });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe("wgfleet: no password given on stdin");
  });

  it("prints help with --help and exits 0", async () => {
    for (const args of [["--help"], ["serve", "--help"], ["user", "--help"], ["apikey", "--help"]]) {
      const result = await runCli(args, { env });
      expect(result.code, args.join(" ")).toBe(0);
      expect(result.stdout).toContain("Usage");
    }
  });
});
