// The auth table, over every route the app knows (routes added later are covered automatically):
// anonymous → 401 except /healthz, /readyz and login; viewer writes → 403; revoked keys → 401; cookie writes
// need the CSRF token; login and logout.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forEachEngine } from "../../../../test/support/databases.js";
import { isWriteMethod } from "../auth/actor.js";
import { type RouteEntry, registeredRoutes } from "./app.js";
import { createTestApp, type TestApp } from "./test-support/test-app.js";

const METRICS_TOKEN = "metrics-token-for-tests";

/** A concrete URL for a route template: every parameter gets a plausible id. */
function concreteUrl(template: string): string {
  return template.replace(/:[A-Za-z_]+/g, "00000000-0000-4000-8000-000000000000").replace(/\*/g, "x");
}

function request(route: RouteEntry, headers: Record<string, string> = {}) {
  const write = isWriteMethod(route.method);
  return {
    method: route.method as "GET",
    url: concreteUrl(route.url),
    headers,
    ...(write ? { payload: {} } : {}),
  };
}

forEachEngine("auth", (open) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(await open(), { config: { metricsToken: METRICS_TOKEN } });
  });
  afterAll(async () => t?.close());

  it("only /healthz, /readyz, the OpenAPI document, login and the single sign-on routes, a node joining with its token, the share pages and the web app's files are public", () => {
    const routes = registeredRoutes(t.app);
    expect(routes.length).toBeGreaterThan(15);
    const publicRoutes = routes.filter((r) => r.auth === "public");
    const api = publicRoutes.filter((r) => r.url.startsWith("/api") || !r.hidden);
    expect(api.map((r) => `${r.method} ${r.url}`).sort()).toEqual([
      "GET /api/v1/auth/methods",
      "GET /api/v1/auth/oidc/callback",
      "GET /api/v1/auth/oidc/start",
      // The OpenAPI document describes the API and holds no data.
      "GET /api/v1/openapi.json",
      "GET /healthz",
      "GET /readyz",
      "GET /s/:token",
      "GET /s/:token/config",
      "GET /s/:token/qr",
      "HEAD /api/v1/auth/methods",
      "HEAD /api/v1/auth/oidc/callback",
      "HEAD /api/v1/auth/oidc/start",
      "HEAD /api/v1/openapi.json",
      "HEAD /healthz",
      "HEAD /readyz",
      "HEAD /s/:token",
      // Carries a one-time join token instead of credentials (rate-limited like the share pages).
      "POST /api/v1/join",
      "POST /api/v1/session",
    ]);
    // The rest are the web app's hidden GET routes (its pages and assets), never a write.
    for (const route of publicRoutes.filter((r) => !api.includes(r))) {
      expect(["GET", "HEAD"], `${route.method} ${route.url}`).toContain(route.method);
    }
  });

  it("keeps unknown /api/ paths behind authentication (401, not 404)", async () => {
    for (const method of ["GET", "POST", "DELETE"] as const) {
      const response = await t.app.inject({ method, url: "/api/v1/no-such-route" });
      expect(response.statusCode, method).toBe(401);
    }
    const known = await t.app.inject({
      method: "GET",
      url: "/api/v1/no-such-route",
      headers: t.bearer(t.adminKey),
    });
    expect(known.statusCode).toBe(404);
    expect(known.json().error.code).toBe("NOT_FOUND");
  });

  it("answers 401 without credentials on every other route", async () => {
    const guarded = registeredRoutes(t.app).filter((r) => r.auth !== "public" && r.auth !== "optional");
    // Only the session probe answers anonymous callers (`{authenticated: false}`), GET and HEAD.
    const optional = registeredRoutes(t.app).filter((r) => r.auth === "optional");
    expect(optional.map((r) => `${r.method} ${r.url}`).sort()).toEqual([
      "GET /api/v1/session",
      "HEAD /api/v1/session",
    ]);
    for (const route of guarded) {
      const response = await t.app.inject(request(route));
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(401);
      if (route.method !== "HEAD") expect(response.json().error.code, route.url).toBe("UNAUTHORIZED");
    }
  });

  it("answers 401 to a malformed or unknown API key and to an unknown session cookie", async () => {
    for (const headers of [
      { authorization: "Bearer wgf_nope" },
      { authorization: `Bearer wgf_${"A".repeat(43)}` },
      { authorization: "Basic YWRtaW46YWRtaW4=" },
      { cookie: "wgfleet_session=forged" },
    ]) {
      const response = await t.app.inject({ method: "GET", url: "/api/v1/users", headers });
      expect(response.statusCode, JSON.stringify(headers)).toBe(401);
    }
  });

  it("serves the public routes without credentials", async () => {
    expect((await t.app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    const login = await t.app.inject({
      method: "POST",
      url: "/api/v1/session",
      payload: { username: "x", password: "y" },
    });
    expect(login.statusCode).toBe(401);
  });

  it("protects /metrics with the metrics token, not with user credentials", async () => {
    const withToken = await t.app.inject({
      method: "GET",
      url: "/metrics",
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(withToken.statusCode).toBe(200);
    expect(withToken.headers["content-type"]).toContain("text/plain");
    expect(withToken.body).toContain("# TYPE wgfleet_http_request_duration_seconds histogram");
    const withUserKey = await t.app.inject({ method: "GET", url: "/metrics", headers: t.bearer(t.adminKey) });
    expect(withUserKey.statusCode).toBe(401);
  });

  it("refuses every write to a viewer (403) but lets them read", async () => {
    const viewer = await t.createUser("viewer");
    const headers = t.bearer(await t.apiKeyFor(viewer));
    const writes = registeredRoutes(t.app).filter(
      (r) => r.auth === "user" && isWriteMethod(r.method) && r.minRole !== "viewer",
    );
    expect(writes.length).toBeGreaterThan(5);
    for (const route of writes) {
      const response = await t.app.inject(request(route, headers));
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(403);
      expect(response.json().error.code).toBe("FORBIDDEN");
    }
    const adminReads = registeredRoutes(t.app).filter(
      (r) => r.minRole === "admin" && !isWriteMethod(r.method),
    );
    for (const route of adminReads) {
      expect((await t.app.inject(request(route, headers))).statusCode, route.url).toBe(403);
    }
    expect((await t.app.inject({ method: "GET", url: "/api/v1/me", headers })).json().username).toBe(
      viewer.username,
    );
    expect((await t.app.inject({ method: "GET", url: "/api/v1/apikeys", headers })).statusCode).toBe(200);
  });

  it("lets a viewer change their own password and log out", async () => {
    const viewer = await t.createUser("viewer");
    const login = await t.login(viewer);
    const changed = await t.app.inject({
      method: "POST",
      url: "/api/v1/users/me/password",
      headers: t.cookieHeaders(login),
      payload: { currentPassword: viewer.password, newPassword: "a-new-password-1" },
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().mustChangePassword).toBe(false);
    const logout = await t.app.inject({
      method: "DELETE",
      url: "/api/v1/session",
      headers: t.cookieHeaders(login),
    });
    expect(logout.statusCode).toBe(204);
  });

  it("rejects a revoked API key", async () => {
    const key = await t.apiKeyFor(t.admin);
    expect(
      (await t.app.inject({ method: "GET", url: "/api/v1/me", headers: t.bearer(key) })).statusCode,
    ).toBe(200);
    const id = (await t.app.inject({ method: "GET", url: "/api/v1/apikeys", headers: t.bearer(key) }))
      .json()
      .items.find((k: { prefix: string }) => key.startsWith(k.prefix)).id;
    const revoked = await t.app.inject({
      method: "DELETE",
      url: `/api/v1/apikeys/${id}`,
      headers: t.bearer(t.adminKey),
    });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().revokedAt).toEqual(expect.any(String));
    expect(
      (await t.app.inject({ method: "GET", url: "/api/v1/me", headers: t.bearer(key) })).statusCode,
    ).toBe(401);
  });

  it("needs the CSRF token on cookie writes, not on cookie reads or API-key writes", async () => {
    const login = await t.login(t.admin);
    const payload = { name: "csrf-check" };
    const read = await t.app.inject({
      method: "GET",
      url: "/api/v1/apikeys",
      headers: t.cookieHeaders(login, false),
    });
    expect(read.statusCode).toBe(200);
    const noToken = await t.app.inject({
      method: "POST",
      url: "/api/v1/apikeys",
      headers: t.cookieHeaders(login, false),
      payload,
    });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().error.code).toBe("FORBIDDEN");
    const wrongToken = await t.app.inject({
      method: "POST",
      url: "/api/v1/apikeys",
      headers: { cookie: login.cookie, "x-csrf-token": "wrong" },
      payload,
    });
    expect(wrongToken.statusCode).toBe(403);
    const withToken = await t.app.inject({
      method: "POST",
      url: "/api/v1/apikeys",
      headers: t.cookieHeaders(login),
      payload,
    });
    expect(withToken.statusCode).toBe(201);
    const viaKey = await t.app.inject({
      method: "POST",
      url: "/api/v1/apikeys",
      headers: t.bearer(t.adminKey),
      payload,
    });
    expect(viaKey.statusCode).toBe(201);
  });

  it("logs in with a cookie that works, and logging out ends the session", async () => {
    const response = await t.app.inject({
      method: "POST",
      url: "/api/v1/session",
      payload: { username: t.admin.username, password: t.admin.password },
    });
    expect(response.statusCode).toBe(200);
    const cookie = response.cookies.find((c) => c.name === "wgfleet_session");
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe("Strict");
    expect(cookie?.path).toBe("/");
    const body = response.json();
    expect(body.user).toMatchObject({ username: "admin", role: "admin", mustChangePassword: false });
    expect(body.csrfToken).toEqual(expect.any(String));
    expect(body.user.passwordHash).toBeUndefined();

    const headers = { cookie: `wgfleet_session=${cookie?.value}`, "x-csrf-token": body.csrfToken };
    const session = await t.app.inject({ method: "GET", url: "/api/v1/session", headers });
    expect(session.statusCode).toBe(200);
    expect(session.json()).toMatchObject({ authenticated: true, csrfToken: body.csrfToken, via: "session" });

    const logout = await t.app.inject({ method: "DELETE", url: "/api/v1/session", headers });
    expect(logout.statusCode).toBe(204);
    expect(logout.cookies.find((c) => c.name === "wgfleet_session")?.value).toBe("");
    // The session probe answers "not signed in" (200); every other route keeps its 401.
    const probe = await t.app.inject({ method: "GET", url: "/api/v1/session", headers });
    expect(probe.statusCode).toBe(200);
    expect(probe.json()).toEqual({ authenticated: false });
    expect((await t.app.inject({ method: "GET", url: "/api/v1/me", headers })).statusCode).toBe(401);
  });

  it("answers the session probe without credentials, or with bad ones, as not signed in", async () => {
    for (const headers of [{}, { cookie: "wgfleet_session=forged" }, { authorization: "Bearer wgf_nope" }]) {
      const probe = await t.app.inject({ method: "GET", url: "/api/v1/session", headers });
      expect(probe.statusCode, JSON.stringify(headers)).toBe(200);
      expect(probe.json()).toEqual({ authenticated: false });
    }
    const viaKey = await t.app.inject({
      method: "GET",
      url: "/api/v1/session",
      headers: t.bearer(t.adminKey),
    });
    expect(viaKey.json()).toMatchObject({ authenticated: true, via: "apikey", csrfToken: null });
  });

  it("stores only hashes of session tokens and API keys", async () => {
    const login = await t.login(t.admin);
    const token = login.cookie.split("=")[1] ?? "";
    const sessions = await t.context.db.selectFrom("sessions").select("id").execute();
    expect(sessions.map((s) => s.id)).not.toContain(token);
    const keys = await t.context.db.selectFrom("api_keys").select(["key_hash", "prefix"]).execute();
    expect(keys.map((k) => k.key_hash)).not.toContain(t.adminKey);
    expect(keys.some((k) => t.adminKey.startsWith(k.prefix))).toBe(true);
  });
});

describe("auth route table helpers", () => {
  it("fills every parameter of a route template", () => {
    expect(concreteUrl("/api/v1/peers/:id/qr.svg")).toBe(
      "/api/v1/peers/00000000-0000-4000-8000-000000000000/qr.svg",
    );
  });
});
