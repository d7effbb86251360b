// A user who must change their password (the generated first admin, a reset) can log in, see who they
// are, change the password and log out — and nothing else, by cookie or by API key, until they have.
import { afterAll, beforeAll, expect, it } from "vitest";
import { forEachEngine } from "../../../../test/support/databases.js";
import { isWriteMethod } from "../auth/actor.js";
import { registeredRoutes } from "./app.js";
import { createTestApp, type TestApp, type TestUser } from "./test-support/test-app.js";

const ALLOWED = new Set([
  "GET /api/v1/session",
  "HEAD /api/v1/session",
  "DELETE /api/v1/session",
  "GET /api/v1/me",
  "HEAD /api/v1/me",
  "POST /api/v1/users/me/password",
]);

forEachEngine("password change required", (open) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(await open());
  });
  afterAll(async () => t?.close());

  async function mustChangeAdmin(): Promise<TestUser> {
    const user = await t.createUser("admin");
    await t.context.services.users.update(user.id, { mustChangePassword: true }, "test");
    return user;
  }

  it("refuses API key and user creation to an admin who has not changed the generated password", async () => {
    const admin = await mustChangeAdmin();
    const login = await t.login(admin);
    const key = await t.app.inject({
      method: "POST",
      url: "/api/v1/apikeys",
      headers: t.cookieHeaders(login),
      payload: { name: "before-change" },
    });
    expect(key.statusCode).toBe(403);
    expect(key.json().error.code).toBe("PASSWORD_CHANGE_REQUIRED");
    const user = await t.app.inject({
      method: "POST",
      url: "/api/v1/users",
      headers: t.cookieHeaders(login),
      payload: { username: "sneaky", password: "sneaky-password", role: "admin" },
    });
    expect(user.statusCode).toBe(403);
    expect(user.json().error.code).toBe("PASSWORD_CHANGE_REQUIRED");
    expect(await t.context.services.users.findByUsername("sneaky")).toBeNull();
  });

  it("answers 403 PASSWORD_CHANGE_REQUIRED on every route but the session routes, /me and the change", async () => {
    const admin = await mustChangeAdmin();
    const login = await t.login(admin);
    const routes = registeredRoutes(t.app).filter((r) => r.auth === "user");
    expect(routes.length).toBeGreaterThan(20);
    for (const route of routes) {
      const name = `${route.method} ${route.url}`;
      if (ALLOWED.has(name)) continue;
      const response = await t.app.inject({
        method: route.method as "GET",
        url: route.url.replace(/:[A-Za-z_]+/g, "00000000-0000-4000-8000-000000000000"),
        headers: t.cookieHeaders(login),
        ...(isWriteMethod(route.method) ? { payload: {} } : {}),
      });
      expect(response.statusCode, name).toBe(403);
      if (route.method !== "HEAD") expect(response.json().error.code, name).toBe("PASSWORD_CHANGE_REQUIRED");
    }
    const me = await t.app.inject({ method: "GET", url: "/api/v1/me", headers: t.cookieHeaders(login) });
    expect(me.json()).toMatchObject({ username: admin.username, mustChangePassword: true });
    const session = await t.app.inject({
      method: "GET",
      url: "/api/v1/session",
      headers: t.cookieHeaders(login),
    });
    expect(session.statusCode).toBe(200);
  });

  it("holds an API key made for that user (by the CLI) to the same rule until the password changes", async () => {
    const admin = await mustChangeAdmin();
    const key = await t.apiKeyFor(admin);
    const before = await t.app.inject({ method: "GET", url: "/api/v1/users", headers: t.bearer(key) });
    expect(before.statusCode).toBe(403);
    expect(before.json().error.code).toBe("PASSWORD_CHANGE_REQUIRED");
    const login = await t.login(admin);
    const changed = await t.app.inject({
      method: "POST",
      url: "/api/v1/users/me/password",
      headers: t.cookieHeaders(login),
      payload: { currentPassword: admin.password, newPassword: "my-own-password-1" },
    });
    expect(changed.statusCode).toBe(200);
    expect(
      (await t.app.inject({ method: "GET", url: "/api/v1/users", headers: t.bearer(key) })).statusCode,
    ).toBe(200);
    const created = await t.app.inject({
      method: "POST",
      url: "/api/v1/apikeys",
      headers: t.cookieHeaders(login),
      payload: { name: "after-change" },
    });
    expect(created.statusCode).toBe(201);
  });
});
