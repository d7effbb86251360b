// The start command's promise: `wgfleet serve` on a fresh data dir serves /healthz, keeps a generated
// admin password in a 0600 file (never printed) that logs in, and after SIGKILL and a restart has lost
// nothing.
import { chownSync, existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  assertBuilt,
  cleanEnv,
  loginOver,
  readPasswordFile,
  runCli,
  type ServeProcess,
  startServe,
} from "./test-support/spawn-cli.js";

describe("wgfleet serve (built CLI)", () => {
  let dataDir: string;
  const running: ServeProcess[] = [];
  const serve = async (env = cleanEnv()) => {
    const server = await startServe(["--listen", "127.0.0.1:0", "--data-dir", dataDir], env);
    running.push(server);
    return server;
  };

  beforeAll(() => {
    assertBuilt();
    dataDir = mkdtempSync(join(tmpdir(), "wgfleet-serve-"));
  });
  afterAll(async () => {
    await Promise.all(running.map((server) => server.stop("SIGKILL")));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("starts, keeps the generated admin password in a 0600 file (never in its output), and loses nothing when killed and restarted", async () => {
    const first = await serve();
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
    const file = first.passwordFile();
    expect(file).toBe(join(dataDir, "initial-admin-password"));
    expect(statSync(file ?? "").mode & 0o777).toBe(0o600);
    const password = first.generatedPassword();
    expect(password).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(first.stdout()).not.toContain(password ?? "");
    expect(first.stderr()).not.toContain(password ?? "");

    const login = await loginOver(first.url, "admin", password ?? "");
    expect(login.status).toBe(200);
    expect(login.body.user?.mustChangePassword).toBe(true);
    const headers = {
      cookie: login.cookie,
      "x-csrf-token": login.csrfToken,
      "content-type": "application/json",
    };
    const createKey = () =>
      fetch(`${first.url}/api/v1/apikeys`, {
        method: "POST",
        headers,
        body: JSON.stringify({ name: "survives" }),
      });
    const refused = await createKey();
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe(
      "PASSWORD_CHANGE_REQUIRED",
    );
    const changed = await fetch(`${first.url}/api/v1/users/me/password`, {
      method: "POST",
      headers,
      body: JSON.stringify({ currentPassword: password, newPassword: "admin-own-password-1" }),
    });
    expect(changed.status).toBe(200);
    expect(existsSync(file ?? "")).toBe(false);
    const created = await createKey();
    expect(created.status).toBe(201);
    const { key } = (await created.json()) as { key: string };

    expect((await first.stop("SIGKILL")).signal).toBe("SIGKILL");

    const second = await serve();
    expect((await fetch(`${second.url}/healthz`)).status).toBe(200);
    expect(second.passwordFile()).toBeNull();
    expect(second.stderr()).not.toContain("First start");
    expect((await loginOver(second.url, "admin", "admin-own-password-1")).status).toBe(200);
    const me = await fetch(`${second.url}/api/v1/me`, { headers: { authorization: `Bearer ${key}` } });
    expect(me.status).toBe(200);
    // The session from before the kill is still valid: sessions live in the database.
    const session = await fetch(`${second.url}/api/v1/session`, { headers: { cookie: login.cookie } });
    expect(session.status).toBe(200);

    const stopped = await second.stop("SIGTERM");
    expect(stopped.code).toBe(0);
    expect(second.stdout()).toContain('"msg":"stopped"');
  });

  it("keeps the generated password when the first start fails (port in use), and the next start names the file again", async () => {
    const fresh = mkdtempSync(join(tmpdir(), "wgfleet-serve-busy-"));
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const failed = await runCli([
        "serve",
        "--listen",
        `127.0.0.1:${port}`,
        "--data-dir",
        fresh,
        "--no-local",
      ]);
      expect(failed.code).not.toBe(0);
      const file = join(fresh, "initial-admin-password");
      const password = readPasswordFile(file);
      expect(password).toMatch(/^[A-Za-z0-9]{20}$/);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(failed.stdout + failed.stderr).not.toContain(password ?? "");

      const server = await startServe(["--listen", "127.0.0.1:0", "--data-dir", fresh, "--no-local"]);
      running.push(server);
      expect(server.passwordFile()).toBe(file);
      expect(server.stderr()).toContain("still has the generated password");
      expect((await loginOver(server.url, "admin", password ?? "")).status).toBe(200);
      await server.stop();
    } finally {
      blocker.close();
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it("takes the first admin from WGFLEET_ADMIN_USER / WGFLEET_ADMIN_PASSWORD", async () => {
    const fresh = mkdtempSync(join(tmpdir(), "wgfleet-serve-env-"));
    try {
      const server = await startServe(
        ["--listen", "127.0.0.1:0", "--data-dir", fresh, "--no-local"],
        cleanEnv({ WGFLEET_ADMIN_USER: "boss", WGFLEET_ADMIN_PASSWORD: "boss-password-1" }),
      );
      running.push(server);
      expect(server.generatedPassword()).toBeNull();
      expect(server.stderr()).toContain('created the admin user "boss" from WGFLEET_ADMIN_USER');
      const login = await loginOver(server.url, "boss", "boss-password-1");
      expect(login.status).toBe(200);
      expect(login.body.user?.mustChangePassword).toBe(false);
      expect(server.stdout()).not.toContain("boss-password-1");
      await server.stop();
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it("starts without root: the local node is unavailable with the reason, not a crash", async () => {
    const fresh = mkdtempSync(join(tmpdir(), "wgfleet-serve-noroot-"));
    // As root, run the server as nobody (65534); otherwise this process is already unprivileged.
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    if (asNobody.uid !== undefined) chownSync(fresh, asNobody.uid, asNobody.gid);
    try {
      const server = await startServe(
        ["--listen", "127.0.0.1:0", "--data-dir", fresh],
        cleanEnv({ WGFLEET_ADMIN_PASSWORD: "admin-password-1" }),
        asNobody,
      );
      running.push(server);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      const login = await loginOver(server.url, "admin", "admin-password-1");
      const nodes = await fetch(`${server.url}/api/v1/nodes`, { headers: { cookie: login.cookie } });
      expect(nodes.status).toBe(200);
      const { items } = (await nodes.json()) as {
        items: Array<{ id: string; status: string; statusReason: string }>;
      };
      const local = items.find((node) => node.id === "local");
      expect(local?.status).toBe("unavailable");
      expect(local?.statusReason).toMatch(/root|permission/i);
      await server.stop();
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});
