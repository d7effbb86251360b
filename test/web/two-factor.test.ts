// Two-factor sign-in in a real Chromium against a real dashboard (no WireGuard needed), at 1280 px and
// at 390 px: set it up in Settings (QR code, key, a code from the "app" — the test computes codes
// from the key shown, as an authenticator app would), keep the 10 recovery codes, sign out, sign in
// with password then code; a wrong code, the code of a step already used and a spent recovery code
// are refused. Then an admin requires two-factor sign-in for every admin and another admin is led to
// set it up at their next sign-in, and the first resets a user's two-factor sign-in in Users.
// Every page must log no console error beyond the sign-in refusals each step expects (the login
// answers those with 401, which Chromium logs); screenshots go to test-output/screenshots/two-factor-*.
import { randomBytes } from "node:crypto";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { totpCodeAt } from "../../packages/dashboard/src/twofactor/totp.js";
import { commandPrerequisite, missingPrerequisites } from "../support/privileges.js";
import {
  type ErrorWatch,
  launchChromium,
  overflowsHorizontally,
  screenshot,
  unlabelledControls,
  watchErrors,
} from "./support/browser.js";
import { type Dashboard, startDashboard } from "./support/dashboard.js";

const skip = missingPrerequisites([commandPrerequisite("chromium")]);
const STEP_MS = 30_000;

interface Person {
  username: string;
  password: string;
  role: "admin" | "viewer";
}

const WIDTHS = [
  { width: 1280, height: 900, role: "admin" as const },
  { width: 390, height: 844, role: "viewer" as const },
];

/** The 30 s step a time falls in. */
const stepAt = (ms: number) => Math.floor(ms / STEP_MS);

/** Waits (at most one step) until the clock is in a later step than `step`: its code is unused. */
async function nextStep(step: number): Promise<void> {
  while (stepAt(Date.now()) <= step) await new Promise((r) => setTimeout(r, 250));
}

describe.skipIf(skip)("two-factor sign-in (browser)", () => {
  let dashboard: Dashboard;
  let browser: Browser;
  const people: Person[] = [];

  async function createPerson(role: Person["role"]): Promise<Person> {
    const person = {
      username: `tfa-${role}-${randomBytes(3).toString("hex")}`,
      password: `pw-${randomBytes(9).toString("hex")}`,
      role,
    };
    await dashboard.admin.request("POST", "/api/v1/users", { ...person, mustChangePassword: false });
    people.push(person);
    return person;
  }

  beforeAll(async () => {
    dashboard = await startDashboard("two-factor", { wireguard: false });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await dashboard?.stop();
  });

  /** A fresh browser at a width, with its console watched. */
  async function open(
    width: number,
    height: number,
  ): Promise<{ context: BrowserContext; page: Page; errors: ErrorWatch }> {
    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    return { context, page, errors: watchErrors(page) };
  }

  /**
   * The console errors since the last check: only `expected` refused sign-ins (401 on the login route).
   * Chromium reports a failed request's console error a moment after the page has shown the refusal,
   * so the check waits for the expected ones instead of counting what has arrived so far.
   */
  async function expectOnlyRefusals(errors: ErrorWatch, expected: number, where: string): Promise<void> {
    const taken: string[] = [];
    const isRefusal = (e: string) => e.includes("401") && e.includes("/api/v1/session");
    await expect
      .poll(
        () => {
          taken.push(...errors.take());
          return taken.filter(isRefusal).length;
        },
        { message: `refused sign-ins on ${where}`, timeout: 5_000 },
      )
      .toBeGreaterThanOrEqual(expected);
    expect(
      taken.filter((e) => !isRefusal(e)),
      `console errors on ${where}`,
    ).toEqual([]);
    expect(taken.filter(isRefusal).length, `refused sign-ins on ${where}`).toBe(expected);
  }

  async function enterPassword(page: Page, person: Person): Promise<void> {
    await page.getByLabel("Username").fill(person.username);
    await page.getByLabel("Password").fill(person.password);
    await page.getByRole("button", { name: "Sign in" }).click();
  }

  async function enterCode(page: Page, code: string): Promise<void> {
    const field = page.getByLabel("Code", { exact: true });
    await field.fill(code);
    await page.getByRole("button", { name: "Verify" }).click();
  }

  async function signOut(page: Page): Promise<void> {
    await page.getByTestId("sign-out").click();
    await page.getByTestId("sign-in-form").waitFor();
  }

  /**
   * Settings → Two-factor sign-in: key read from the page, a code typed, the recovery codes kept. On the
   * forced set-up page "done" leaves for the Overview at once, so the section's "on" state is checked
   * only in Settings.
   */
  async function setUp(
    page: Page,
    shot: string,
    where: "settings" | "forced" = "settings",
  ): Promise<{ secret: string; step: number; codes: string[] }> {
    const section = page.getByTestId("two-factor-section");
    await section.getByTestId("two-factor-start").click();
    const qr = section.getByTestId("two-factor-qr");
    await qr.waitFor();
    await expect
      .poll(() => qr.evaluate((img: { naturalWidth: number }) => img.naturalWidth))
      .toBeGreaterThan(0);
    const secret = (await section.getByTestId("two-factor-secret").textContent())?.trim() ?? "";
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(await unlabelledControls(page)).toEqual([]);
    expect(await overflowsHorizontally(page)).toBe(false);
    await screenshot(page, `${shot}-qr`);
    // A wrong code first: the field says so and nothing is turned on.
    const now = Date.now();
    const valid = new Set([-1, 0, 1].map((d) => totpCodeAt(secret, now + d * STEP_MS)));
    const wrong = ["000000", "111111", "222222", "333333"].find((c) => !valid.has(c)) ?? "444444";
    await section.getByLabel("Code from the app").fill(wrong);
    await section.getByRole("button", { name: "Turn on" }).click();
    await section.getByText("Is not the code your authenticator app shows now.").waitFor();
    const confirmedAt = Date.now();
    await section.getByLabel("Code from the app").fill(totpCodeAt(secret, confirmedAt));
    await section.getByRole("button", { name: "Turn on" }).click();
    const list = section.getByTestId("recovery-codes");
    await list.waitFor();
    const codes = (await list.locator("li").allTextContents()).map((c) => c.trim());
    expect(codes).toHaveLength(10);
    expect(await overflowsHorizontally(page)).toBe(false);
    await screenshot(page, `${shot}-recovery-codes`);
    await section.getByTestId("recovery-codes-done").click();
    if (where === "settings") {
      await section.getByTestId("two-factor-on").waitFor();
      expect(await section.getByTestId("recovery-left").textContent()).toContain("10");
    }
    return { secret, step: stepAt(confirmedAt), codes };
  }

  for (const { width, height, role } of WIDTHS) {
    it(`sets up two-factor sign-in and signs in with password and code at ${width} px`, async () => {
      const person = await createPerson(role);
      const { context, page, errors } = await open(width, height);
      try {
        await page.goto(dashboard.url);
        await enterPassword(page, person);
        await page.getByRole("heading", { name: "Overview" }).waitFor();
        await page.goto(`${dashboard.url}/settings`);
        const { secret, step, codes } = await setUp(page, `two-factor-${width}`);
        spareCodes.set(person.username, codes.slice(2));
        // The confirm's wrong code is a 400 on another route; Chromium logs it as well.
        const confirmErrors = errors.take();
        expect(
          confirmErrors.filter((e) => !(e.includes("400") && e.includes("/api/v1/users/me/totp/confirm"))),
        ).toEqual([]);
        await signOut(page);

        // Password, then the code step.
        await enterPassword(page, person);
        await page.getByTestId("code-step").waitFor();
        expect(await unlabelledControls(page)).toEqual([]);
        expect(await overflowsHorizontally(page)).toBe(false);
        await screenshot(page, `two-factor-${width}-code-step`);
        // The code that confirmed the set-up cannot sign in (its step is spent)...
        if (stepAt(Date.now()) === step) {
          await enterCode(page, totpCodeAt(secret, Date.now()));
          await page.getByText("The code is wrong or was already used.").waitFor();
          await expectOnlyRefusals(errors, 2, "the set-up's code");
        } else {
          await expectOnlyRefusals(errors, 1, "the code step");
        }
        // ...nor can a wrong one.
        await enterCode(page, totpCodeAt(secret, Date.now() + 10 * STEP_MS));
        await page.getByText("The code is wrong or was already used.").waitFor();
        await expectOnlyRefusals(errors, 1, "a wrong code");
        await nextStep(step);
        const usedAt = Date.now();
        await enterCode(page, totpCodeAt(secret, usedAt));
        await page.getByRole("heading", { name: "Overview" }).waitFor();
        await expectOnlyRefusals(errors, 0, "signing in with the code");

        // The same code again in the same step: refused.
        await signOut(page);
        await enterPassword(page, person);
        await page.getByTestId("code-step").waitFor();
        if (stepAt(Date.now()) === stepAt(usedAt)) {
          await enterCode(page, totpCodeAt(secret, usedAt));
          await page.getByText("The code is wrong or was already used.").waitFor();
          await expectOnlyRefusals(errors, 2, "a replayed code");
        } else {
          await expectOnlyRefusals(errors, 1, "the code step");
        }
        // A recovery code signs in once.
        await enterCode(page, codes[0] ?? "");
        await page.getByRole("heading", { name: "Overview" }).waitFor();
        await signOut(page);
        await enterPassword(page, person);
        await page.getByTestId("code-step").waitFor();
        await enterCode(page, codes[0] ?? "");
        await page.getByText("The code is wrong or was already used.").waitFor();
        await screenshot(page, `two-factor-${width}-spent-recovery-code`);
        await expectOnlyRefusals(errors, 2, "a spent recovery code");
        await enterCode(page, codes[1] ?? "");
        await page.getByRole("heading", { name: "Overview" }).waitFor();
        await page.goto(`${dashboard.url}/settings`);
        await expect.poll(() => page.getByTestId("recovery-left").textContent()).toContain("8");
        await expectOnlyRefusals(errors, 0, "the recovery codes");
      } finally {
        await context.close();
      }
    });
  }

  it("requires two-factor sign-in for admins: another admin sets it up at next sign-in; an admin resets a user's", async () => {
    const [wide] = people;
    expect(wide?.role).toBe("admin");
    const other = await createPerson("admin");
    const viewer = people.find((p) => p.role === "viewer");
    // The first admin signs in (their own set-up is done) and turns the policy on in Settings.
    const first = await open(1280, 900);
    try {
      expect(await dashboard.admin.request("GET", "/api/v1/two-factor/policy")).toEqual({
        requireForAdmins: false,
      });
      await first.page.goto(dashboard.url);
      await enterPassword(first.page, wide as Person);
      await first.page.getByTestId("code-step").waitFor();
      // Rather than wait for a fresh step, one of the recovery codes the set-up test left unspent.
      await enterCode(first.page, spareCode(wide as Person));
      await first.page.getByRole("heading", { name: "Overview" }).waitFor();
      await expectOnlyRefusals(first.errors, 1, "the first admin's sign-in");
      await first.page.goto(`${dashboard.url}/settings`);
      const require = first.page.getByTestId("require-for-admins");
      await require.check();
      await first.page.reload();
      await expect.poll(() => first.page.getByTestId("require-for-admins").isChecked()).toBe(true);
      // The built-in admin's session (no two-factor sign-in) is now held at the set-up.
      const held = await dashboard.admin.raw("GET", "/api/v1/nodes");
      expect(held.status).toBe(403);
      expect(((await held.json()) as { error: { code: string } }).error.code).toBe("TOTP_ENROLMENT_REQUIRED");
      await screenshot(first.page, "two-factor-policy");

      // The other admin, at 390 px: signed in, sent to the set-up, nothing else until it is done.
      const phone = await open(390, 844);
      try {
        await phone.page.goto(dashboard.url);
        await enterPassword(phone.page, other);
        await phone.page.getByRole("heading", { name: "Set up two-factor sign-in" }).waitFor();
        expect(phone.page.url()).toContain("/two-factor-setup");
        await phone.page.goto(`${dashboard.url}/nodes`);
        await phone.page.getByRole("heading", { name: "Set up two-factor sign-in" }).waitFor();
        expect(await overflowsHorizontally(phone.page)).toBe(false);
        await screenshot(phone.page, "two-factor-390-required");
        await setUp(phone.page, "two-factor-390-required", "forced");
        await phone.page.getByRole("heading", { name: "Overview" }).waitFor();
        await phone.page.goto(`${dashboard.url}/nodes`);
        await phone.page.getByRole("heading", { name: "Nodes" }).waitFor();
        const confirmErrors = phone.errors.take();
        expect(
          confirmErrors.filter((e) => !(e.includes("400") && e.includes("/api/v1/users/me/totp/confirm"))),
        ).toEqual([]);
      } finally {
        await phone.context.close();
      }

      // Users: the first admin resets the viewer's two-factor sign-in; they sign in with the password alone.
      await first.page.goto(`${dashboard.url}/settings`);
      const row = first.page.getByTestId("user-row").filter({ hasText: viewer?.username ?? "" });
      await row.getByTestId("user-two-factor").waitFor();
      await row.getByTestId("reset-two-factor").click();
      const dialog = first.page.getByRole("dialog", {
        name: `Reset two-factor sign-in of ${viewer?.username}?`,
      });
      await dialog.waitFor();
      await screenshot(first.page, "two-factor-reset");
      await dialog.getByRole("button", { name: "Reset two-factor sign-in" }).click();
      await dialog.waitFor({ state: "hidden" });
      await expect.poll(() => row.getByTestId("user-two-factor").count()).toBe(0);
      const plain = await fetch(`${dashboard.url}/api/v1/session`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: viewer?.username, password: viewer?.password }),
      });
      expect(plain.status).toBe(200);
      await expectOnlyRefusals(first.errors, 0, "policy and reset");
    } finally {
      await first.context.close();
    }
  });
});

/** Unspent recovery codes of the people who set up in the browser, kept by the set-up tests. */
const spareCodes = new Map<string, string[]>();

function spareCode(person: Person): string {
  const code = spareCodes.get(person.username)?.pop();
  if (!code) throw new Error(`no spare recovery code for ${person.username}`);
  return code;
}
