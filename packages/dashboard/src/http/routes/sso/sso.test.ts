// Single sign-on against a real OpenID Connect provider (the oidc-provider package on loopback, see
// test/support/oidc-provider.ts), on both database engines: the whole round trip with state, nonce
// and PKCE bound to the browser's attempt cookie; roles from the claim, refusals without it; users
// linked by issuer + subject, not by name; existing users only; password sign-in turned off; the
// redirect URI from the public URL or the request (X-Forwarded-* only with trustProxy); and the
// start-up check that keeps --no-local-login from locking everyone out.
import type { LightMyRequestResponse } from "fastify";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { forEachEngine } from "../../../../../../test/support/databases.js";
import {
  signInAtProvider,
  startTestOidcProvider,
  type TestAccount,
  type TestOidcProvider,
} from "../../../../../../test/support/oidc-provider.js";
import type { OidcSettings, SignInSettings } from "../../../config/sign-in-settings.js";
import { IdentityLinks, IdentityRepository } from "../../../sso/index.js";
import { assertSignInPossible } from "../../../startup/sign-in-check.js";
import { SESSION_COOKIE } from "../../session-cookie.js";
import { createTestApp, type TestApp } from "../../test-support/test-app.js";

const PUBLIC_URL = "http://wgfleet.test";
const CALLBACK = `${PUBLIC_URL}/api/v1/auth/oidc/callback`;

const alice: TestAccount = { sub: "sub-alice", preferred_username: "alice", groups: ["ops", "staff"] };
const victor: TestAccount = { sub: "sub-victor", email: "victor@example.com", groups: ["staff"] };
const guest: TestAccount = { sub: "sub-guest", preferred_username: "guest", groups: ["visitors"] };
// Calls itself "admin": must not become the local admin.
const impostor: TestAccount = { sub: "sub-impostor", preferred_username: "admin", groups: ["staff"] };

let provider: TestOidcProvider;

beforeAll(async () => {
  provider = await startTestOidcProvider({
    redirectUris: [CALLBACK],
    accounts: [alice, victor, guest, impostor],
  });
});
afterAll(async () => {
  await provider?.stop();
});

function oidcSettings(overrides: Partial<OidcSettings> = {}): OidcSettings {
  return {
    issuer: provider.issuer,
    clientId: provider.clientId,
    clientSecret: provider.clientSecret,
    scopes: "openid profile email groups",
    provisioning: "claim",
    roleClaim: "groups",
    adminValues: ["ops"],
    viewerValues: ["staff"],
    label: "Test IdP",
    ...overrides,
  };
}

function signIn(overrides: Partial<SignInSettings> = {}, oidc: Partial<OidcSettings> = {}): SignInSettings {
  return { localLogin: true, oidc: oidcSettings(oidc), ...overrides };
}

function cookieOf(response: LightMyRequestResponse, name: string): string | undefined {
  return response.cookies.find((c) => c.name === name && c.value !== "")?.value;
}

forEachEngine("single sign-on", (open) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  async function start(app: TestApp, next = "/nodes") {
    const response = await app.app.inject({
      method: "GET",
      url: `/api/v1/auth/oidc/start?next=${encodeURIComponent(next)}`,
    });
    expect(response.statusCode).toBe(302);
    const attempt = cookieOf(response, "wgfleet_oidc");
    expect(attempt).toBeDefined();
    return { location: response.headers.location as string, attempt: attempt as string };
  }

  /** The whole round trip as one browser: start, the provider, the callback. */
  async function roundTrip(app: TestApp, account: TestAccount, next = "/nodes") {
    const { location, attempt } = await start(app, next);
    const back = await signInAtProvider(location, account.sub);
    expect(`${back.origin}${back.pathname}`).toBe(CALLBACK);
    return app.app.inject({
      method: "GET",
      url: `${back.pathname}${back.search}`,
      cookies: { wgfleet_oidc: attempt },
    });
  }

  async function me(app: TestApp, response: LightMyRequestResponse) {
    const token = cookieOf(response, SESSION_COOKIE);
    expect(token, "a session cookie").toBeDefined();
    const answer = await app.app.inject({
      method: "GET",
      url: "/api/v1/me",
      cookies: { [SESSION_COOKIE]: token as string },
    });
    expect(answer.statusCode).toBe(200);
    return answer.json() as { id: string; username: string; role: string; mustChangePassword: boolean };
  }

  it("signs a new person in with the role their claim grants, and opens the page they came for", async () => {
    t = await createTestApp(await open(), { config: { publicUrl: PUBLIC_URL, signIn: signIn() } });
    const first = await roundTrip(t, alice);
    expect(first.statusCode).toBe(302);
    expect(first.headers.location).toBe("/nodes");
    const user = await me(t, first);
    expect(user).toMatchObject({ username: "alice", role: "admin", mustChangePassword: false });

    // The role claim came from the userinfo (the provider keeps scope claims out of the ID token).
    const viewer = await me(t, await roundTrip(t, victor));
    expect(viewer).toMatchObject({ username: "victor@example.com", role: "viewer" });

    // Signing in again is the same user, not a second one.
    expect((await me(t, await roundTrip(t, alice))).id).toBe(user.id);
    expect((await t.context.services.users.list()).map((u) => u.username).sort()).toEqual([
      "admin",
      "alice",
      "victor@example.com",
    ]);
  });

  it("follows the claim at every sign-in: a demoted admin signs in as a viewer", async () => {
    const carol: TestAccount = { sub: "sub-carol", preferred_username: "carol", groups: ["ops"] };
    const own = await startTestOidcProvider({ redirectUris: [CALLBACK], accounts: [carol] });
    try {
      const issuer = { issuer: own.issuer, clientId: own.clientId, clientSecret: own.clientSecret };
      t = await createTestApp(await open(), {
        config: { publicUrl: PUBLIC_URL, signIn: signIn({}, issuer) },
      });
      expect((await me(t, await roundTrip(t, carol))).role).toBe("admin");
      carol.groups = ["staff"];
      expect((await me(t, await roundTrip(t, carol))).role).toBe("viewer");
    } finally {
      await own.stop();
    }
  });

  it("refuses a person whose claim grants no role, with the reason and their subject; creates nobody", async () => {
    t = await createTestApp(await open(), { config: { publicUrl: PUBLIC_URL, signIn: signIn() } });
    const refused = await roundTrip(t, guest);
    expect(refused.statusCode).toBe(302);
    expect(refused.headers.location).toBe("/sign-in?sso=no_role&subject=sub-guest");
    expect(cookieOf(refused, SESSION_COOKIE)).toBeUndefined();
    expect(await t.context.services.users.findByUsername("guest")).toBeNull();
  });

  it("links by issuer and subject, never by name: a provider account named admin is not the local admin", async () => {
    t = await createTestApp(await open(), { config: { publicUrl: PUBLIC_URL, signIn: signIn() } });
    const user = await me(t, await roundTrip(t, impostor));
    expect(user.username).toBe("admin-2");
    expect(user.role).toBe("viewer");
    expect(user.id).not.toBe(t.admin.id);
    const identity = await new IdentityRepository(t.context.db).find(provider.issuer, "sub-impostor");
    expect(identity?.user_id).toBe(user.id);
  });

  it("binds the callback to the browser that started: no attempt cookie, another browser's, or an altered one fail", async () => {
    t = await createTestApp(await open(), { config: { publicUrl: PUBLIC_URL, signIn: signIn() } });
    const mine = await start(t);
    const back = await signInAtProvider(mine.location, alice.sub);
    const callback = `${back.pathname}${back.search}`;

    const none = await t.app.inject({ method: "GET", url: callback });
    expect(none.headers.location).toBe("/sign-in?sso=expired");
    const altered = await t.app.inject({
      method: "GET",
      url: callback,
      cookies: { wgfleet_oidc: `${mine.attempt.slice(0, -4)}AAAA` },
    });
    expect(altered.headers.location).toBe("/sign-in?sso=expired");
    // Another browser's attempt: its state, nonce and verifier do not match this code.
    const other = await start(t);
    const mixed = await t.app.inject({
      method: "GET",
      url: callback,
      cookies: { wgfleet_oidc: other.attempt },
    });
    expect(mixed.headers.location).toBe("/sign-in?sso=failed");
    for (const response of [none, altered, mixed]) expect(cookieOf(response, SESSION_COOKIE)).toBeUndefined();
    expect(await t.context.services.users.findByUsername("alice")).toBeNull();
    // The provider's refusal (e.g. the person cancelled) is a failure too, with nothing created.
    const cancelled = await t.app.inject({
      method: "GET",
      url: "/api/v1/auth/oidc/callback?error=access_denied&state=x",
      cookies: { wgfleet_oidc: (await start(t)).attempt },
    });
    expect(cancelled.headers.location).toBe("/sign-in?sso=failed");
  });

  it("keeps the next page on this site and clears the attempt cookie after use", async () => {
    t = await createTestApp(await open(), { config: { publicUrl: PUBLIC_URL, signIn: signIn() } });
    const response = await roundTrip(t, alice, "//evil.example/x");
    expect(response.headers.location).toBe("/");
    const cleared = response.cookies.find((c) => c.name === "wgfleet_oidc");
    expect(cleared?.value).toBe("");
  });

  it("with existing users only: an unlinked identity is refused; once linked it signs in with the user's role", async () => {
    t = await createTestApp(await open(), {
      config: { publicUrl: PUBLIC_URL, signIn: signIn({}, { provisioning: "existing" }) },
    });
    const refused = await roundTrip(t, alice);
    expect(refused.headers.location).toBe("/sign-in?sso=not_linked&subject=sub-alice");
    expect(await t.context.services.users.findByUsername("alice")).toBeNull();

    const bob = await t.createUser("viewer");
    const links = new IdentityLinks(
      new IdentityRepository(t.context.db),
      t.context.services.users,
      t.context.services.audit,
    );
    await links.link(provider.issuer, bob.username, alice.sub, "cli");
    // The claim says admin; the user is a viewer, and stays one.
    expect(await me(t, await roundTrip(t, alice))).toMatchObject({ id: bob.id, role: "viewer" });
    await expect(links.link(provider.issuer, t.admin.username, alice.sub, "cli")).rejects.toMatchObject({
      field: "subject",
    });

    // Deleting the user deletes the identity with it.
    await t.context.services.users.delete(bob.id, "cli");
    expect(await new IdentityRepository(t.context.db).find(provider.issuer, alice.sub)).toBeUndefined();
  });

  it("with password sign-in off: the methods say so and POST /api/v1/session answers 403", async () => {
    t = await createTestApp(await open(), {
      config: { publicUrl: PUBLIC_URL, signIn: signIn({ localLogin: false }) },
    });
    const methods = await t.app.inject({ method: "GET", url: "/api/v1/auth/methods" });
    expect(methods.json()).toEqual({
      password: false,
      sso: { label: "Test IdP", startUrl: "/api/v1/auth/oidc/start" },
    });
    const login = await t.app.inject({
      method: "POST",
      url: "/api/v1/session",
      payload: { username: t.admin.username, password: t.admin.password },
    });
    expect(login.statusCode).toBe(403);
    expect(login.json().error.message).toContain("single sign-on");
  });

  it("without single sign-on: password only, and the SSO routes answer 404", async () => {
    t = await createTestApp(await open());
    expect((await t.app.inject({ method: "GET", url: "/api/v1/auth/methods" })).json()).toEqual({
      password: true,
      sso: null,
    });
    expect((await t.app.inject({ method: "GET", url: "/api/v1/auth/oidc/start" })).statusCode).toBe(404);
    expect((await t.app.inject({ method: "GET", url: "/api/v1/auth/oidc/callback?code=x" })).statusCode).toBe(
      404,
    );
  });

  it("keeps the provider's secrets and tokens out of the logs", async () => {
    t = await createTestApp(await open(), { config: { publicUrl: PUBLIC_URL, signIn: signIn() } });
    const { location, attempt } = await start(t);
    const back = await signInAtProvider(location, alice.sub);
    await t.app.inject({
      method: "GET",
      url: `${back.pathname}${back.search}`,
      cookies: { wgfleet_oidc: attempt },
    });
    const logs = t.logs.join("\n");
    expect(logs).not.toContain(provider.clientSecret);
    expect(logs).not.toContain(back.searchParams.get("code") as string);
    expect(logs).not.toContain(attempt);
  });
});

describe("the redirect URI", () => {
  async function redirectOf(app: TestApp, headers: Record<string, string>) {
    const response = await app.app.inject({ method: "GET", url: "/api/v1/auth/oidc/start", headers });
    return new URL(response.headers.location as string).searchParams.get("redirect_uri");
  }

  forEachEngine("redirect", (open) => {
    it("comes from the request, honouring X-Forwarded-* only with trustProxy, unless a public URL is set", async () => {
      const forwarded = {
        host: "127.0.0.1:10086",
        "x-forwarded-proto": "https",
        "x-forwarded-host": "vpn.example.com",
      };
      const plain = await createTestApp(await open(), { config: { publicUrl: null, signIn: signIn() } });
      try {
        expect(await redirectOf(plain, forwarded)).toBe("http://127.0.0.1:10086/api/v1/auth/oidc/callback");
      } finally {
        await plain.close();
      }
      const proxied = await createTestApp(await open(), {
        config: { trustProxy: true, publicUrl: null, signIn: signIn() },
      });
      try {
        expect(await redirectOf(proxied, forwarded)).toBe(
          "https://vpn.example.com/api/v1/auth/oidc/callback",
        );
      } finally {
        await proxied.close();
      }
      const configured = await createTestApp(await open(), {
        config: { trustProxy: true, publicUrl: PUBLIC_URL, signIn: signIn() },
      });
      try {
        expect(await redirectOf(configured, forwarded)).toBe(CALLBACK);
      } finally {
        await configured.close();
      }
    });
  });
});

describe("turning password sign-in off", () => {
  forEachEngine("lockout", (open) => {
    it("needs a provider that answers and a way in for an admin", async () => {
      const t = await createTestApp(await open(), {
        config: {
          publicUrl: PUBLIC_URL,
          signIn: signIn({ localLogin: false }, { provisioning: "existing" }),
        },
      });
      try {
        const sso = t.context.services.sso;
        await expect(
          assertSignInPossible(signIn({ localLogin: false }, { provisioning: "existing" }), sso),
        ).rejects.toThrow(/no admin is linked/);
        await new IdentityLinks(
          new IdentityRepository(t.context.db),
          t.context.services.users,
          t.context.services.audit,
        ).link(provider.issuer, t.admin.username, "sub-admin", "cli");
        await expect(assertSignInPossible(signIn({ localLogin: false }), sso)).resolves.toBeUndefined();
      } finally {
        await t.close();
      }
      const down = await createTestApp(await open(), {
        config: {
          publicUrl: PUBLIC_URL,
          signIn: signIn({ localLogin: false }, { issuer: "http://127.0.0.1:9" }),
        },
      });
      try {
        await expect(
          assertSignInPossible(signIn({ localLogin: false }), down.context.services.sso),
        ).rejects.toThrow(/does not answer.*start without --no-local-login/);
      } finally {
        await down.close();
      }
    });
  });
});
