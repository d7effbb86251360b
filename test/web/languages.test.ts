// The app's languages in a real Chromium: an English browser gets English and can switch to German in
// Settings (the choice survives a reload and goes back to the browser's language on "Browser default");
// a browser that asks for Chinese gets Simplified Chinese from the first page on. No console errors.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandPrerequisite, missingPrerequisites } from "../support/privileges.js";
import { launchChromium, screenshot, watchErrors } from "./support/browser.js";
import { ADMIN_USER, type Dashboard, startDashboard } from "./support/dashboard.js";

const skip = missingPrerequisites([commandPrerequisite("chromium")]);

async function signIn(
  page: Page,
  url: string,
  labels: { username: string; password: string; submit: string },
  password: string,
): Promise<void> {
  await page.goto(url);
  await page.waitForURL(/\/sign-in/);
  await page.getByLabel(labels.username).fill(ADMIN_USER);
  await page.getByLabel(labels.password).fill(password);
  await page.getByRole("button", { name: labels.submit }).click();
}

describe.skipIf(skip)("languages (browser)", () => {
  let dashboard: Dashboard;
  let browser: Browser;

  beforeAll(async () => {
    dashboard = await startDashboard("languages", { wireguard: false });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await dashboard?.stop();
  });

  it("switches an English browser to German in Settings, keeps it over a reload, and back", async () => {
    const context = await browser.newContext({ locale: "en-US", viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      const errors = watchErrors(page);
      await signIn(
        page,
        dashboard.url,
        { username: "Username", password: "Password", submit: "Sign in" },
        dashboard.adminPassword,
      );
      const nav = page.getByRole("navigation");
      await nav.getByRole("link", { name: "Overview" }).waitFor();
      expect(await page.locator("html").getAttribute("lang")).toBe("en");

      await nav.getByRole("link", { name: "Settings" }).click();
      const select = page.getByTestId("language-select");
      await select.waitFor();
      expect(await select.inputValue()).toBe("auto");
      await select.selectOption("de");
      await nav.getByRole("link", { name: "Einstellungen" }).waitFor();
      expect(await nav.textContent()).toContain("Übersicht");
      expect(await nav.textContent()).toContain("Konfigurationen");
      await page.getByRole("heading", { name: "Einstellungen", level: 1 }).waitFor();
      await page.getByRole("heading", { name: "API-Schlüssel" }).waitFor();
      expect(await page.locator("html").getAttribute("lang")).toBe("de");
      await expect.poll(() => page.title()).toBe("Einstellungen · wgfleet");
      await screenshot(page, "settings-de");

      await page.reload();
      await page.getByRole("navigation").getByRole("link", { name: "Einstellungen" }).waitFor();
      expect(await page.getByTestId("language-select").inputValue()).toBe("de");

      // The other pages speak German too: headings, buttons, empty states.
      await nav.getByRole("link", { name: "Konfigurationen" }).click();
      await page.getByRole("heading", { name: "Konfigurationen", level: 1 }).waitFor();
      await page.getByText("Noch keine Konfiguration.").waitFor();
      await nav.getByRole("link", { name: "Knoten" }).click();
      await page.getByRole("heading", { name: "Knoten", level: 1 }).waitFor();
      await page.getByRole("button", { name: "Knoten hinzufügen" }).waitFor();
      await nav.getByRole("link", { name: "Übersicht" }).click();
      await page.getByRole("heading", { name: "Übersicht", level: 1 }).waitFor();
      await screenshot(page, "overview-de");
      await nav.getByRole("link", { name: "Einstellungen" }).click();

      await page.getByTestId("language-select").selectOption("auto");
      await nav.getByRole("link", { name: "Settings" }).waitFor();
      expect(await page.locator("html").getAttribute("lang")).toBe("en");
      expect(errors.take()).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("gives a browser that asks for Chinese the app in Simplified Chinese", async () => {
    const context = await browser.newContext({ locale: "zh-CN", viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      const errors = watchErrors(page);
      await signIn(
        page,
        dashboard.url,
        { username: "用户名", password: "密码", submit: "登录" },
        dashboard.adminPassword,
      );
      const nav = page.getByRole("navigation");
      await nav.getByRole("link", { name: "概览" }).waitFor();
      expect(await nav.textContent()).toContain("设置");
      expect(await page.locator("html").getAttribute("lang")).toBe("zh-CN");
      await nav.getByRole("link", { name: "设置" }).click();
      await page.getByRole("heading", { name: "设置", level: 1 }).waitFor();
      expect(await page.getByTestId("language-select").inputValue()).toBe("auto");
      await screenshot(page, "settings-zh-CN");
      expect(errors.take()).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
