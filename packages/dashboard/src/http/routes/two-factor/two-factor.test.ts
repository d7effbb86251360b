// Two-factor sign-in over the real app on both engines: enrolment confirmed by a code, login asking
// for the code (no session without it), wrong codes and codes of an already used step refused, each
// recovery code spent once, wrong codes counted by the login throttle, an admin's reset, the policy
// that sends admins to set it up, and API keys untouched by all of it. Time is a manual clock, so the
// 30 s steps are exact.
import { afterEach, describe, expect, it } from "vitest";
import { forEachEngine } from "../../../../../../test/support/databases.js";
import type { Clock } from "../../../clock.js";
import { totpCodeAt } from "../../../twofactor/totp.js";
import {
  type CookieLogin,
  createTestApp,
  sessionCookieOf,
  type TestApp,
  type TestUser,
} from "../../test-support/test-app.js";

class ManualClock implements Clock {
  // 10 s into a 30 s step, so "the same step" and "the next step" are unambiguous.
  constructor(public ms = Date.parse("2025-01-01T00:00:10.000Z")) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

const STEP_MS = 30_000;

/** A 6-digit code that is none of the codes accepted at `nowMs` (this step and its neighbours). */
function wrongCode(secret: string, nowMs: number, seed = 0): string {
  const valid = new Set([-1, 0, 1].map((d) => totpCodeAt(secret, nowMs + d * STEP_MS)));
  for (let n = seed; ; n++) {
    const code = String((123_456 + n * 7_919) % 1_000_000).padStart(6, "0");
    if (!valid.has(code)) return code;
  }
}

forEachEngine("two-factor sign-in", (open) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  const login = (
    app: TestApp,
    user: Pick<TestUser, "username" | "password">,
    totp?: string,
    remoteAddress = "127.0.0.1",
  ) =>
    app.app.inject({
      method: "POST",
      url: "/api/v1/session",
      payload: { username: user.username, password: user.password, ...(totp !== undefined ? { totp } : {}) },
      remoteAddress,
    });

  /** Enrols `user` through the routes; answers the secret and the recovery codes. */
  async function enrol(app: TestApp, clock: ManualClock, user: TestUser, session?: CookieLogin) {
    const auth = session ?? (await app.login(user));
    const started = await app.app.inject({
      method: "POST",
      url: "/api/v1/users/me/totp",
      headers: app.cookieHeaders(auth),
    });
    expect(started.statusCode).toBe(200);
    const { secret, otpauthUri, qrSvg } = started.json();
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/wgfleet:/);
    expect(otpauthUri).toContain(`secret=${secret}`);
    expect(qrSvg).toContain("<svg");
    const confirmed = await app.app.inject({
      method: "POST",
      url: "/api/v1/users/me/totp/confirm",
      headers: app.cookieHeaders(auth),
      payload: { code: totpCodeAt(secret, clock.now()) },
    });
    expect(confirmed.statusCode).toBe(200);
    return { secret: secret as string, recoveryCodes: confirmed.json().recoveryCodes as string[] };
  }

  it("enrols only with a right code, keeps the secret encrypted, and shows 10 recovery codes once", async () => {
    const clock = new ManualClock();
    t = await createTestApp(await open(), { clock });
    const session = await t.login(t.admin);
    const started = await t.app.inject({
      method: "POST",
      url: "/api/v1/users/me/totp",
      headers: t.cookieHeaders(session),
    });
    const { secret } = started.json();
    const wrong = await t.app.inject({
      method: "POST",
      url: "/api/v1/users/me/totp/confirm",
      headers: t.cookieHeaders(session),
      payload: { code: wrongCode(secret, clock.now()) },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error).toMatchObject({ code: "VALIDATION", field: "code" });
    const notDigits = await t.app.inject({
      method: "POST",
      url: "/api/v1/users/me/totp/confirm",
      headers: t.cookieHeaders(session),
      payload: { code: "12ab56" },
    });
    expect(notDigits.statusCode).toBe(400);
    expect(notDigits.json().error.field).toBe("code");
    const status = (
      await t.app.inject({ method: "GET", url: "/api/v1/users/me/totp", headers: t.cookieHeaders(session) })
    ).json();
    expect(status).toEqual({ enabled: false, pending: true, recoveryCodesLeft: 0, required: false });

    const confirmed = await t.app.inject({
      method: "POST",
      url: "/api/v1/users/me/totp/confirm",
      headers: t.cookieHeaders(session),
      payload: { code: totpCodeAt(secret, clock.now()) },
    });
    expect(confirmed.statusCode).toBe(200);
    const codes: string[] = confirmed.json().recoveryCodes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[0-9a-z]{5}-[0-9a-z]{5}$/);

    const after = (
      await t.app.inject({ method: "GET", url: "/api/v1/users/me/totp", headers: t.cookieHeaders(session) })
    ).json();
    expect(after).toEqual({ enabled: true, pending: false, recoveryCodesLeft: 10, required: false });
    const me = (
      await t.app.inject({ method: "GET", url: "/api/v1/me", headers: t.cookieHeaders(session) })
    ).json();
    expect(me.totpEnabled).toBe(true);
    // Setting up again needs turning it off first.
    const again = await t.app.inject({
      method: "POST",
      url: "/api/v1/users/me/totp",
      headers: t.cookieHeaders(session),
    });
    expect(again.statusCode).toBe(409);

    const row = await t.context.db
      .selectFrom("users")
      .selectAll()
      .where("id", "=", t.admin.id)
      .executeTakeFirstOrThrow();
    expect(row.totp_secret_enc).toMatch(/^v1:/);
    expect(row.totp_secret_enc).not.toContain(secret);
    expect(t.context.secrets.decrypt(row.totp_secret_enc ?? "")).toBe(secret);
    expect(row.totp_pending_enc).toBeNull();
    const stored = await t.context.db.selectFrom("user_recovery_codes").selectAll().execute();
    const storedText = JSON.stringify(stored);
    for (const code of codes) {
      expect(storedText).not.toContain(code);
      expect(storedText).not.toContain(code.replace("-", ""));
    }
    const users = await t.app.inject({ method: "GET", url: "/api/v1/users", headers: t.bearer(t.adminKey) });
    for (const text of [
      t.logs.join("\n"),
      users.body,
      JSON.stringify(await t.context.services.audit.list({ limit: 100 })),
    ]) {
      expect(text).not.toContain(secret);
      for (const code of codes) expect(text).not.toContain(code);
    }
  });

  it("asks for the code after a right password without making a session, and refuses a wrong or replayed code", async () => {
    const clock = new ManualClock();
    t = await createTestApp(await open(), { clock });
    const user = await t.createUser("viewer");
    const { secret } = await enrol(t, clock, user);

    const missing = await login(t, user);
    expect(missing.statusCode).toBe(401);
    expect(missing.json().error).toMatchObject({ code: "TOTP_REQUIRED", field: "totp" });
    expect(missing.cookies.find((c) => c.name === "wgfleet_session")).toBeUndefined();
    // A wrong password says nothing about a second factor, with or without a code.
    const wrongPassword = await login(
      t,
      { username: user.username, password: "wrong-password" },
      totpCodeAt(secret, clock.now()),
    );
    expect(wrongPassword.json().error.code).toBe("UNAUTHORIZED");

    // The confirming code's step is spent: it cannot sign in.
    expect((await login(t, user, totpCodeAt(secret, clock.now()))).json().error.code).toBe("TOTP_INVALID");
    clock.advance(STEP_MS);
    const code = totpCodeAt(secret, clock.now());
    const wrong = await login(t, user, wrongCode(secret, clock.now()));
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error).toMatchObject({ code: "TOTP_INVALID", field: "totp" });
    expect(wrong.cookies.find((c) => c.name === "wgfleet_session")).toBeUndefined();

    const good = await login(t, user, code);
    expect(good.statusCode).toBe(200);
    expect(good.json()).toMatchObject({ authenticated: true, mustEnrolTotp: false });
    const me = await t.app.inject({
      method: "GET",
      url: "/api/v1/me",
      headers: { cookie: sessionCookieOf(good) },
    });
    expect(me.statusCode).toBe(200);
    // The same code again in the same step: refused (the step is spent), and so is the previous step's.
    expect((await login(t, user, code)).json().error.code).toBe("TOTP_INVALID");
    clock.advance(15_000);
    expect((await login(t, user, code)).json().error.code).toBe("TOTP_INVALID");
    // The next step's code works; spaces a person types are ignored.
    clock.advance(STEP_MS);
    const next = totpCodeAt(secret, clock.now());
    expect((await login(t, user, `${next.slice(0, 3)} ${next.slice(3)}`)).statusCode).toBe(200);
    const rows = await t.context.db
      .selectFrom("sessions")
      .selectAll()
      .where("user_id", "=", user.id)
      .execute();
    expect(rows).toHaveLength(3); // the enrolment's session and the two good logins, nothing for refusals
  });

  it("takes each recovery code once, in any case and without the dash", async () => {
    const clock = new ManualClock();
    t = await createTestApp(await open(), { clock });
    const user = await t.createUser("viewer");
    const { recoveryCodes } = await enrol(t, clock, user);
    const [first, second] = recoveryCodes as [string, string];
    expect((await login(t, user, first)).statusCode).toBe(200);
    const spent = await login(t, user, first);
    expect(spent.statusCode).toBe(401);
    expect(spent.json().error.code).toBe("TOTP_INVALID");
    expect((await login(t, user, second.toUpperCase().replace("-", ""))).statusCode).toBe(200);
    expect((await login(t, user, "aaaaa-aaaaa")).json().error.code).toBe("TOTP_INVALID");
    const session = await login(t, user, recoveryCodes[2]);
    const status = await t.app.inject({
      method: "GET",
      url: "/api/v1/users/me/totp",
      headers: { cookie: sessionCookieOf(session) },
    });
    expect(status.json().recoveryCodesLeft).toBe(7);
  });

  it("counts wrong codes like wrong passwords: the address is throttled and then learns nothing", async () => {
    const clock = new ManualClock();
    t = await createTestApp(await open(), { clock });
    const user = await t.createUser("viewer");
    const { secret } = await enrol(t, clock, user);
    clock.advance(STEP_MS);
    for (let i = 0; i < 10; i++) {
      const answer = await login(t, user, wrongCode(secret, clock.now(), i), "198.18.0.21");
      expect(answer.json().error.code, `attempt ${i + 1}`).toBe("TOTP_INVALID");
    }
    const right = await login(t, user, totpCodeAt(secret, clock.now()), "198.18.0.21");
    const wrongPassword = await login(
      t,
      { username: user.username, password: "wrong-password" },
      undefined,
      "198.18.0.21",
    );
    const noCode = await login(t, user, undefined, "198.18.0.21");
    for (const answer of [right, wrongPassword, noCode]) {
      expect(answer.statusCode).toBe(429);
      expect(answer.json().error.code).toBe("RATE_LIMITED");
    }
    expect(noCode.json()).toEqual(wrongPassword.json());
    // Another address still signs in with password and code.
    expect((await login(t, user, totpCodeAt(secret, clock.now()), "198.18.0.22")).statusCode).toBe(200);
    expect(JSON.stringify(await t.context.services.audit.list({ limit: 50 }))).toContain("second factor");
  });

  it("lets an admin reset a user's two-factor sign-in, ending their sessions; a viewer may not", async () => {
    const clock = new ManualClock();
    t = await createTestApp(await open(), { clock });
    const user = await t.createUser("viewer");
    const { secret } = await enrol(t, clock, user);
    clock.advance(STEP_MS);
    const userLogin = await login(t, user, totpCodeAt(secret, clock.now()));
    const cookie = sessionCookieOf(userLogin);
    const byViewer = await t.app.inject({
      method: "DELETE",
      url: `/api/v1/users/${t.admin.id}/totp`,
      headers: { cookie, "x-csrf-token": userLogin.json().csrfToken },
    });
    expect(byViewer.statusCode).toBe(403);
    const unknown = await t.app.inject({
      method: "DELETE",
      url: "/api/v1/users/no-such-user/totp",
      headers: t.bearer(t.adminKey),
    });
    expect(unknown.statusCode).toBe(404);

    const reset = await t.app.inject({
      method: "DELETE",
      url: `/api/v1/users/${user.id}/totp`,
      headers: t.bearer(t.adminKey),
    });
    expect(reset.statusCode).toBe(204);
    expect((await t.app.inject({ method: "GET", url: "/api/v1/me", headers: { cookie } })).statusCode).toBe(
      401,
    );
    const plain = await login(t, user);
    expect(plain.statusCode).toBe(200);
    expect(plain.json().user.totpEnabled).toBe(false);
    expect(
      await t.context.db
        .selectFrom("user_recovery_codes")
        .selectAll()
        .where("user_id", "=", user.id)
        .execute(),
    ).toEqual([]);
  });

  it("turns off with the user's own password only", async () => {
    const clock = new ManualClock();
    t = await createTestApp(await open(), { clock });
    const user = await t.createUser("viewer");
    await enrol(t, clock, user);
    const key = await t.apiKeyFor(user);
    const wrong = await t.app.inject({
      method: "POST",
      url: "/api/v1/users/me/totp/disable",
      headers: t.bearer(key),
      payload: { currentPassword: "not-my-password" },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.field).toBe("currentPassword");
    expect((await login(t, user)).json().error.code).toBe("TOTP_REQUIRED");
    const off = await t.app.inject({
      method: "POST",
      url: "/api/v1/users/me/totp/disable",
      headers: t.bearer(key),
      payload: { currentPassword: user.password },
    });
    expect(off.statusCode).toBe(204);
    expect((await login(t, user)).statusCode).toBe(200);
  });

  describe("requiring it for admins", () => {
    it("sends an admin without it to set it up at sign-in; API keys and viewers are not affected", async () => {
      const clock = new ManualClock();
      t = await createTestApp(await open(), { clock });
      const app = t;
      const policy = (body: Record<string, unknown>, key: string) =>
        app.app.inject({
          method: "PUT",
          url: "/api/v1/two-factor/policy",
          headers: app.bearer(key),
          payload: body,
        });
      // Not before the admin who turns it on uses it.
      const tooEarly = await policy({ requireForAdmins: true }, t.adminKey);
      expect(tooEarly.statusCode).toBe(409);
      expect(tooEarly.json().error.field).toBe("requireForAdmins");
      expect((await policy({ requireForAdmins: "yes" }, t.adminKey)).statusCode).toBe(400);
      await enrol(t, clock, t.admin);
      expect((await policy({ requireForAdmins: true }, t.adminKey)).json()).toEqual({
        requireForAdmins: true,
      });
      const read = await t.app.inject({
        method: "GET",
        url: "/api/v1/two-factor/policy",
        headers: t.bearer(t.adminKey),
      });
      expect(read.json()).toEqual({ requireForAdmins: true });

      const other = await t.createUser("admin");
      const otherKey = await t.apiKeyFor(other);
      const viewer = await t.createUser("viewer");
      const viewerLogin = await login(t, viewer);
      expect(viewerLogin.json().mustEnrolTotp).toBe(false);
      const signedIn = await login(t, other);
      expect(signedIn.statusCode).toBe(200);
      expect(signedIn.json().mustEnrolTotp).toBe(true);
      const session: CookieLogin = {
        cookie: sessionCookieOf(signedIn),
        csrfToken: signedIn.json().csrfToken,
      };
      const blocked = await t.app.inject({
        method: "GET",
        url: "/api/v1/nodes",
        headers: t.cookieHeaders(session),
      });
      expect(blocked.statusCode).toBe(403);
      expect(blocked.json().error.code).toBe("TOTP_ENROLMENT_REQUIRED");
      const current = await t.app.inject({
        method: "GET",
        url: "/api/v1/session",
        headers: t.cookieHeaders(session),
      });
      expect(current.json().mustEnrolTotp).toBe(true);
      const status = await t.app.inject({
        method: "GET",
        url: "/api/v1/users/me/totp",
        headers: t.cookieHeaders(session),
      });
      expect(status.json()).toMatchObject({ enabled: false, required: true });
      // The admin's API key works all along.
      expect(
        (await t.app.inject({ method: "GET", url: "/api/v1/nodes", headers: t.bearer(otherKey) })).statusCode,
      ).toBe(200);

      await enrol(t, clock, other, session);
      expect(
        (await t.app.inject({ method: "GET", url: "/api/v1/nodes", headers: t.cookieHeaders(session) }))
          .statusCode,
      ).toBe(200);
      const after = await t.app.inject({
        method: "GET",
        url: "/api/v1/session",
        headers: t.cookieHeaders(session),
      });
      expect(after.json().mustEnrolTotp).toBe(false);
      // While required, an admin cannot turn it off; once the policy is off again, they can.
      const off = (key: string, password: string) =>
        app.app.inject({
          method: "POST",
          url: "/api/v1/users/me/totp/disable",
          headers: app.bearer(key),
          payload: { currentPassword: password },
        });
      expect((await off(otherKey, other.password)).statusCode).toBe(409);
      await policy({ requireForAdmins: false }, t.adminKey);
      expect((await off(otherKey, other.password)).statusCode).toBe(204);
      // Viewers never see the policy.
      const viewerKey = await t.apiKeyFor(viewer);
      expect(
        (
          await t.app.inject({
            method: "GET",
            url: "/api/v1/two-factor/policy",
            headers: t.bearer(viewerKey),
          })
        ).statusCode,
      ).toBe(403);
    });

    it("sends an admin whose two-factor sign-in was reset back to setting it up", async () => {
      const clock = new ManualClock();
      t = await createTestApp(await open(), { clock });
      await enrol(t, clock, t.admin);
      await t.app.inject({
        method: "PUT",
        url: "/api/v1/two-factor/policy",
        headers: t.bearer(t.adminKey),
        payload: { requireForAdmins: true },
      });
      const other = await t.createUser("admin");
      const otherSecret = (await enrol(t, clock, other)).secret;
      clock.advance(STEP_MS);
      expect((await login(t, other, totpCodeAt(otherSecret, clock.now()))).json().mustEnrolTotp).toBe(false);
      await t.app.inject({
        method: "DELETE",
        url: `/api/v1/users/${other.id}/totp`,
        headers: t.bearer(t.adminKey),
      });
      const next = await login(t, other);
      expect(next.statusCode).toBe(200);
      expect(next.json().mustEnrolTotp).toBe(true);
    });
  });
});
