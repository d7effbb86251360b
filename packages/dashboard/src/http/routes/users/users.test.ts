// Users over HTTP: validation (unknown fields, wrong types without coercion, bad values → 400 naming
// the field, nothing changed), the last-admin rule, password changes ending sessions.
import { afterAll, beforeAll, expect, it } from "vitest";
import { forEachEngine } from "../../../../../../test/support/databases.js";
import { createTestApp, type TestApp } from "../../test-support/test-app.js";

forEachEngine("users routes", (open) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(await open());
  });
  afterAll(async () => t?.close());

  const post = (payload: unknown) =>
    t.app.inject({
      method: "POST",
      url: "/api/v1/users",
      headers: t.bearer(t.adminKey),
      payload: payload as object,
    });

  it("creates a user and lists it, without any password hash", async () => {
    const created = await post({ username: "alice", password: "correct-horse", role: "viewer" });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ username: "alice", role: "viewer", mustChangePassword: true });
    expect(Object.keys(created.json()).sort()).toEqual(
      ["createdAt", "id", "mustChangePassword", "role", "totpEnabled", "updatedAt", "username"].sort(),
    );
    const list = await t.app.inject({ method: "GET", url: "/api/v1/users", headers: t.bearer(t.adminKey) });
    expect(list.json().items.map((u: { username: string }) => u.username)).toContain("alice");
    expect(list.body).not.toContain("argon2");
    expect((await post({ username: "alice", password: "correct-horse" })).json().error).toMatchObject({
      code: "CONFLICT",
      field: "username",
    });
  });

  it("refuses a username that differs from an existing one only in case (409 on username)", async () => {
    const before = await t.context.services.users.count();
    for (const username of ["Admin", "ADMIN"]) {
      const response = await post({ username, password: "long-enough-1", role: "admin" });
      expect(response.statusCode, username).toBe(409);
      expect(response.json().error).toMatchObject({ code: "CONFLICT", field: "username" });
    }
    const viewer = await t.createUser("viewer", "case-viewer");
    const renamed = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/users/${viewer.id}`,
      headers: t.bearer(t.adminKey),
      payload: { username: "ADMIN" },
    });
    expect([renamed.statusCode, renamed.json().error?.field]).toEqual([409, "username"]);
    expect(await t.context.services.users.count()).toBe(before + 1);
  });

  it.each([
    [{ username: "bob", password: "long-enough-1", extra: 1 }, "extra", "is not a known field"],
    [{ username: 123, password: "long-enough-1" }, "username", "Enter text."],
    [{ username: "bob", password: 12345678901 }, "password", "Enter text."],
    [
      { username: "bob", password: "long-enough-1", role: "root" },
      "role",
      'Choose one of "admin", "viewer".',
    ],
    [{ username: "bob", password: "long-enough-1", role: 1 }, "role", ""],
    [
      { username: "bob", password: "long-enough-1", mustChangePassword: "true" },
      "mustChangePassword",
      "Choose yes or no",
    ],
    [{ username: "bob" }, "password", "Enter a password."],
    [{ password: "long-enough-1" }, "username", "Enter a user name."],
    [{ username: "bob\n[Peer]", password: "long-enough-1" }, "username", "starting with a letter or digit"],
    [{ username: "b".repeat(100_000), password: "long-enough-1" }, "username", ""],
    [{ username: "bob", password: "short" }, "password", "Use at least 8 characters."],
    [{ username: "bob", password: "p".repeat(100_000) }, "password", ""],
  ])("refuses %j with 400 on the field", async (payload, field, fragment) => {
    const before = await t.context.services.users.count();
    const response = await post(payload);
    expect(response.statusCode).toBe(400);
    const error = response.json().error;
    expect(error.code).toBe("VALIDATION");
    expect(error.field).toBe(field);
    expect(error.message.startsWith(`${field}: `)).toBe(true);
    expect(error.message).toContain(fragment);
    expect(await t.context.services.users.count()).toBe(before);
  });

  it("refuses a body that is not JSON, or not an object", async () => {
    const garbage = await t.app.inject({
      method: "POST",
      url: "/api/v1/users",
      headers: { ...t.bearer(t.adminKey), "content-type": "application/json" },
      payload: "{not json",
    });
    expect(garbage.statusCode).toBe(400);
    expect(garbage.json().error).toMatchObject({ code: "VALIDATION", field: "body" });
    const array = await post([1, 2]);
    expect(array.statusCode).toBe(400);
    expect(array.json().error.field).toBe("body");
  });

  it("validates PATCH bodies and path ids", async () => {
    const bob = await t.createUser("viewer");
    const url = `/api/v1/users/${bob.id}`;
    const patch = (payload: object) =>
      t.app.inject({ method: "PATCH", url, headers: t.bearer(t.adminKey), payload });
    expect((await patch({})).json().error.field).toBe("body");
    expect((await patch({ role: "superuser" })).json().error.field).toBe("role");
    expect((await patch({ id: "x" })).json().error.field).toBe("id");
    const promoted = await patch({ role: "admin" });
    expect(promoted.statusCode).toBe(200);
    expect(promoted.json().role).toBe("admin");
    const missing = await t.app.inject({
      method: "PATCH",
      url: "/api/v1/users/no-such-id",
      headers: t.bearer(t.adminKey),
      payload: { role: "viewer" },
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe("NOT_FOUND");
  });

  it("never removes or demotes the last admin, and nobody deletes themselves", async () => {
    const fresh = await createTestApp(await open());
    try {
      const self = await fresh.app.inject({
        method: "DELETE",
        url: `/api/v1/users/${fresh.admin.id}`,
        headers: fresh.bearer(fresh.adminKey),
      });
      expect(self.statusCode).toBe(409);
      const other = await fresh.createUser("admin");
      const otherKey = await fresh.apiKeyFor(other);
      const demoteSecond = await fresh.app.inject({
        method: "PATCH",
        url: `/api/v1/users/${fresh.admin.id}`,
        headers: fresh.bearer(otherKey),
        payload: { role: "viewer" },
      });
      expect(demoteSecond.statusCode).toBe(200);
      const demoteLast = await fresh.app.inject({
        method: "PATCH",
        url: `/api/v1/users/${other.id}`,
        headers: fresh.bearer(otherKey),
        payload: { role: "viewer" },
      });
      expect(demoteLast.statusCode).toBe(409);
      expect(demoteLast.json().error).toMatchObject({ code: "CONFLICT", field: "role" });
    } finally {
      await fresh.close();
    }
  });

  it("deletes a user with their sessions and keys", async () => {
    const carol = await t.createUser("viewer");
    const key = await t.apiKeyFor(carol);
    const session = await t.login(carol);
    const deleted = await t.app.inject({
      method: "DELETE",
      url: `/api/v1/users/${carol.id}`,
      headers: t.bearer(t.adminKey),
    });
    expect(deleted.statusCode).toBe(204);
    expect(
      (await t.app.inject({ method: "GET", url: "/api/v1/me", headers: t.bearer(key) })).statusCode,
    ).toBe(401);
    expect(
      (await t.app.inject({ method: "GET", url: "/api/v1/me", headers: { cookie: session.cookie } }))
        .statusCode,
    ).toBe(401);
  });

  it("changes your own password: needs the current one, ends your other sessions, keeps this one", async () => {
    const dave = await t.createUser("viewer");
    const first = await t.login(dave);
    const second = await t.login(dave);
    const change = (payload: object) =>
      t.app.inject({
        method: "POST",
        url: "/api/v1/users/me/password",
        headers: t.cookieHeaders(first),
        payload,
      });
    const wrong = await change({ currentPassword: "not-it-at-all", newPassword: "brand-new-pass" });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.field).toBe("currentPassword");
    expect((await change({ currentPassword: dave.password, newPassword: "short" })).json().error.field).toBe(
      "newPassword",
    );
    expect((await change({ currentPassword: dave.password, newPassword: "brand-new-pass" })).statusCode).toBe(
      200,
    );
    const me = (cookie: string) => t.app.inject({ method: "GET", url: "/api/v1/me", headers: { cookie } });
    expect((await me(first.cookie)).statusCode).toBe(200);
    expect((await me(second.cookie)).statusCode).toBe(401);
    expect((await t.login({ username: dave.username, password: "brand-new-pass" })).csrfToken).toEqual(
      expect.any(String),
    );
  });

  it("an admin setting a password ends that user's sessions and asks them to change it", async () => {
    const erin = await t.createUser("viewer");
    const session = await t.login(erin);
    const set = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/users/${erin.id}`,
      headers: t.bearer(t.adminKey),
      payload: { password: "set-by-admin-1" },
    });
    expect(set.json().mustChangePassword).toBe(true);
    expect(
      (await t.app.inject({ method: "GET", url: "/api/v1/me", headers: { cookie: session.cookie } }))
        .statusCode,
    ).toBe(401);
  });

  it("writes audit records without passwords", async () => {
    const audit = JSON.stringify(await t.context.services.audit.list({ limit: 200 }));
    expect(audit).toContain("user.create");
    expect(audit).toContain("user.delete");
    expect(audit).not.toContain("brand-new-pass");
    expect(audit).not.toContain("set-by-admin-1");
    expect(t.logs.join("\n")).not.toContain("brand-new-pass");
  });
});
