// Single sign-on in a real Chromium against a real `wgfleet serve` and a real OpenID Connect provider
// (oidc-provider on loopback, started here): at 1280 and 390 px a person clicks the provider's button
// on the sign-in page, signs in at the provider and lands on the page they asked for with the role
// their groups claim grants; someone without the claim is sent back with a clear message and their
// subject; with password sign-in turned off the page offers only the provider. No console errors on
// any page, the provider's included. Screenshots go to test-output/screenshots/sso-*.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestOidcProvider, type TestOidcProvider } from "../support/oidc-provider.js";
import { commandPrerequisite, missingPrerequisites } from "../support/privileges.js";
import {
  type ErrorWatch,
  launchChromium,
  overflowsHorizontally,
  screenshot,
  watchErrors,
} from "./support/browser.js";
import { type Dashboard, freePort, startDashboard } from "./support/dashboard.js";

const skip = missingPrerequisites([commandPrerequisite("chromium")]);

const ACCOUNTS = [
  { sub: "sub-alice", preferred_username: "alice", groups: ["ops"] },
  { sub: "sub-victor", preferred_username: "victor", groups: ["staff"] },
  { sub: "sub-guest", preferred_username: "guest", groups: ["visitors"] },
];

describe.skipIf(skip)("single sign-on (browser)", () => {
  let provider: TestOidcProvider;
  let dashboard: Dashboard;
  let ssoOnly: Dashboard;
  let browser: Browser;
  let secretDir: string;

  beforeAll(async () => {
    secretDir = await mkdtemp(join(tmpdir(), "wgfleet-sso-"));
    const [first, second] = [await freePort(), await freePort()];
    const callback = (port: number) => `http://127.0.0.1:${port}/api/v1/auth/oidc/callback`;
    provider = await startTestOidcProvider({
      redirectUris: [callback(first), callback(second)],
      accounts: ACCOUNTS,
    });
    await writeFile(join(secretDir, "client-secret"), `${provider.clientSecret}\n`, { mode: 0o600 });
    dashboard = await startDashboard("sso", { wireguard: false, port: first, env: env() });
    ssoOnly = await startDashboard("sso-only", {
      wireguard: false,
      port: second,
      signIn: false,
      env: { ...env(), WGFLEET_NO_LOCAL_LOGIN: "1" },
    });
    browser = await launchChromium();
  }, 120_000);

  function env(): Record<string, string> {
    return {
      WGFLEET_OIDC_ISSUER: provider.issuer,
      WGFLEET_OIDC_CLIENT_ID: provider.clientId,
      WGFLEET_OIDC_CLIENT_SECRET_FILE: join(secretDir, "client-secret"),
      WGFLEET_OIDC_SCOPES: "profile email groups",
      WGFLEET_OIDC_ADMIN_VALUES: "ops",
      WGFLEET_OIDC_VIEWER_VALUES: "staff",
      WGFLEET_OIDC_LABEL: "Test IdP",
    };
  }

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await dashboard?.stop().catch(() => {});
    await ssoOnly?.stop().catch(() => {});
    await provider?.stop().catch(() => {});
    if (secretDir) await rm(secretDir, { recursive: true, force: true });
  });

  async function newPage(
    width: number,
  ): Promise<{ page: Page; errors: ErrorWatch; close: () => Promise<void> }> {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    return { page, errors: watchErrors(page), close: () => context.close() };
  }

  /** From the dashboard's sign-in page through the provider's; returns when back at the dashboard. */
  async function signInThroughProvider(page: Page, base: string, account: string): Promise<void> {
    await page.getByRole("link", { name: "Sign in with Test IdP" }).click();
    await page.waitForURL(`${provider.issuer}/interaction/**`);
    await page.getByLabel("Account").fill(account);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${base}/**`);
  }

  async function role(page: Page): Promise<string> {
    return page.evaluate<string>(
      "fetch('/api/v1/session').then((r) => r.json()).then((s) => s.user.username + ':' + s.user.role)",
    );
  }

  for (const [width, account, expected] of [
    [1280, "sub-alice", "alice:admin"],
    [390, "sub-victor", "victor:viewer"],
  ] as const) {
    it(`at ${width} px: signs in through the provider and lands on the page asked for, with the claim's role`, async () => {
      const { page, errors, close } = await newPage(width);
      try {
        await page.goto(`${dashboard.url}/nodes`);
        await page.getByRole("link", { name: "Sign in with Test IdP" }).waitFor();
        // Password sign-in is on too.
        await page.getByLabel("Username").waitFor();
        expect(await overflowsHorizontally(page)).toBe(false);
        await screenshot(page, `sso-sign-in-${width}`);
        await signInThroughProvider(page, dashboard.url, account);
        await page.getByRole("heading", { name: "Nodes" }).waitFor();
        expect(new URL(page.url()).pathname).toBe("/nodes");
        expect(await role(page)).toBe(expected);
        await page.getByTestId("sign-out").waitFor();
        expect(await overflowsHorizontally(page)).toBe(false);
        expect(errors.take()).toEqual([]);
      } finally {
        await close();
      }
    });
  }

  it("refuses someone whose claim grants no role, with a clear message and their subject (390 px)", async () => {
    const { page, errors, close } = await newPage(390);
    try {
      await page.goto(`${dashboard.url}/sign-in`);
      await signInThroughProvider(page, dashboard.url, "sub-guest");
      const refused = page.getByTestId("sso-refused");
      await refused.waitFor();
      expect(await refused.textContent()).toContain("does not grant access to wgfleet");
      expect(await refused.textContent()).toContain("sub-guest");
      expect(new URL(page.url()).pathname).toBe("/sign-in");
      expect(
        await page.evaluate<boolean>(
          "fetch('/api/v1/session').then((r) => r.json()).then((s) => s.authenticated)",
        ),
      ).toBe(false);
      expect(await overflowsHorizontally(page)).toBe(false);
      await screenshot(page, "sso-refused-390");
      expect(errors.take()).toEqual([]);
    } finally {
      await close();
    }
  });

  for (const width of [1280, 390]) {
    it(`at ${width} px with password sign-in off: only the provider is offered, and it signs in`, async () => {
      const { page, errors, close } = await newPage(width);
      try {
        await page.goto(`${ssoOnly.url}/sign-in`);
        await page.getByRole("link", { name: "Sign in with Test IdP" }).waitFor();
        expect(await page.getByLabel("Username").count()).toBe(0);
        expect(await page.getByLabel("Password").count()).toBe(0);
        await page.getByRole("heading", { name: "Sign in" }).waitFor();
        await screenshot(page, `sso-only-${width}`);
        await signInThroughProvider(page, ssoOnly.url, "sub-alice");
        await page.getByRole("heading", { name: "Overview" }).waitFor();
        expect(await role(page)).toBe("alice:admin");
        expect(errors.take()).toEqual([]);
      } finally {
        await close();
      }
    });
  }
});
