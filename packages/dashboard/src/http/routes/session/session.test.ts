// Login: rate limiting per (username, address) and per address (429 with Retry-After), never a lock
// per username; case-insensitive names; idle and absolute expiry; logout refuses API keys.
import { afterEach, expect, it } from "vitest";
import { forEachEngine } from "../../../../../../test/support/databases.js";
import { DEFAULT_LOGIN_RATE_LIMIT } from "../../../auth/login-rate-limiter.js";
import type { Clock } from "../../../clock.js";
import { createTestApp, type TestApp } from "../../test-support/test-app.js";

class ManualClock implements Clock {
  constructor(public ms = Date.parse("2025-01-01T00:00:00.000Z")) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

forEachEngine("session", (open) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  const login = (app: TestApp, username: string, password: string, remoteAddress = "127.0.0.1") =>
    app.app.inject({
      method: "POST",
      url: "/api/v1/session",
      payload: { username, password },
      remoteAddress,
    });

  it("answers 429 with Retry-After after repeated bad logins, even to the right password", async () => {
    t = await createTestApp(await open());
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await login(t, "admin", `wrong-${i}`)).statusCode);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10).every((s) => s === 429)).toBe(true);
    const blocked = await login(t, "admin", t.admin.password);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.code).toBe("RATE_LIMITED");
    expect(Number(blocked.headers["retry-after"])).toBeGreaterThan(0);
  });

  it("limits per address across usernames, and a success elsewhere does not reset it", async () => {
    t = await createTestApp(await open());
    const other = await t.createUser("viewer");
    for (let i = 0; i < 30; i++)
      expect((await login(t, `nobody${i}`, "wrong-password", "198.18.0.7")).statusCode).toBe(401);
    // The same address is now blocked for every name, the right password included.
    expect((await login(t, other.username, other.password, "198.18.0.7")).statusCode).toBe(429);
    // Another address is not, and its success leaves the blocked address blocked.
    expect((await login(t, other.username, other.password, "198.18.0.8")).statusCode).toBe(200);
    expect((await login(t, "admin", t.admin.password, "198.18.0.7")).statusCode).toBe(429);
  });

  it("cannot be used to lock the admin out: after wrong passwords from anywhere, the right one from a fresh address gets in", async () => {
    // The default limits, with a shorter per-username delay so the test does not wait seconds.
    t = await createTestApp(await open(), {
      loginRateLimit: { ...DEFAULT_LOGIN_RATE_LIMIT, userDelayStepMs: 5, maxUserDelayMs: 20 },
    });
    for (let i = 0; i < 10; i++) await login(t, "admin", "wrong-password", "198.18.0.50");
    for (let i = 0; i < 10; i++) await login(t, "admin", "wrong-password", `198.18.0.${60 + i}`);
    // The address that failed ten times for this name is refused...
    expect((await login(t, "admin", t.admin.password, "198.18.0.50")).statusCode).toBe(429);
    // ...but the name itself is only slowed down, never locked.
    expect((await login(t, "admin", t.admin.password, "198.18.0.99")).statusCode).toBe(200);
  });

  it("lifts an address's block once the window has passed", async () => {
    const clock = new ManualClock();
    t = await createTestApp(await open(), { clock });
    for (let i = 0; i < 10; i++) await login(t, "admin", "wrong-password", "198.18.0.10");
    expect((await login(t, "admin", t.admin.password, "198.18.0.10")).statusCode).toBe(429);
    clock.advance(15 * 60 * 1000 + 1);
    expect((await login(t, "admin", t.admin.password, "198.18.0.10")).statusCode).toBe(200);
  });

  it("looks usernames up whatever their case", async () => {
    t = await createTestApp(await open());
    expect((await login(t, "ADMIN", t.admin.password)).statusCode).toBe(200);
    expect((await login(t, "Admin", "wrong-password")).statusCode).toBe(401);
  });

  it("refuses to end an API key as if it were a session: 400 pointing at key revocation, the key still works", async () => {
    t = await createTestApp(await open());
    const logout = await t.app.inject({
      method: "DELETE",
      url: "/api/v1/session",
      headers: t.bearer(t.adminKey),
    });
    expect(logout.statusCode).toBe(400);
    expect(logout.json().error).toMatchObject({ code: "VALIDATION", field: "authorization" });
    expect(logout.json().error.message).toContain("/api/v1/apikeys/");
    const me = await t.app.inject({ method: "GET", url: "/api/v1/me", headers: t.bearer(t.adminKey) });
    expect(me.statusCode).toBe(200);
  });

  it("ends a session after the idle timeout and after its absolute lifetime", async () => {
    const clock = new ManualClock();
    t = await createTestApp(await open(), {
      clock,
      config: { session: { ttlMs: 10 * 60_000, idleMs: 3 * 60_000 } },
    });
    const app = t;
    const get = (cookie: string) => app.app.inject({ method: "GET", url: "/api/v1/me", headers: { cookie } });

    const idle = await t.login(t.admin);
    clock.advance(3 * 60_000);
    expect((await get(idle.cookie)).statusCode).toBe(401);

    const busy = await t.login(t.admin);
    for (let i = 0; i < 4; i++) {
      clock.advance(2 * 60_000);
      expect((await get(busy.cookie)).statusCode, `after ${(i + 1) * 2} min`).toBe(200);
    }
    clock.advance(2 * 60_000);
    expect((await get(busy.cookie)).statusCode).toBe(401);
  });

  it("does not say whether a username exists", async () => {
    t = await createTestApp(await open());
    const unknown = await login(t, "no-such-user", "whatever-password");
    const known = await login(t, "admin", "whatever-password");
    expect(unknown.statusCode).toBe(401);
    expect(known.statusCode).toBe(401);
    expect(unknown.json()).toEqual(known.json());
  });

  it("keeps the password out of the logs and the audit trail", async () => {
    t = await createTestApp(await open());
    await login(t, "admin", "a-wrong-secret-password");
    await t.login(t.admin);
    const audit = JSON.stringify(await t.context.services.audit.list({ limit: 50 }));
    for (const text of [t.logs.join("\n"), audit]) {
      expect(text).not.toContain("a-wrong-secret-password");
      expect(text).not.toContain(t.admin.password);
    }
    expect(audit).toContain("session.login_failed");
  });
});
