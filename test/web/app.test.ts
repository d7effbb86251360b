// The web app in a real Chromium against a real dashboard whose local node runs wireguard-go in a test
// namespace: sign in, configurations, a peer created on Local (no node badge), its config download
// (naming the local interface's key), QR code, disable / enable (checked on the live interface),
// edit, delete, table search / filter / sort, API errors beside their field, settings, nodes, phone
// width and dark theme, and a viewer who sees no change control (and whom the API refuses anyway).
// Every page must log no console error; each gets a screenshot under test-output/screenshots/.

import { readFile } from "node:fs/promises";
import type { PeerDto } from "@wgfleet/core";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandPrerequisite, missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import {
  type ErrorWatch,
  launchChromium,
  overflowsHorizontally,
  screenshot,
  unlabelledControls,
  watchErrors,
} from "./support/browser.js";
import { ADMIN_USER, ApiSession, type Dashboard, startDashboard, uniqueName } from "./support/dashboard.js";
import { checkQrCode } from "./support/peer-page.js";

const skip = missingPrerequisites([...wireguardPrerequisites(), commandPrerequisite("chromium")]);

interface ApiInterface {
  name: string;
  publicKey: string;
  listenPort: number;
}
type ApiUser = { id: string; username: string };
type ApiPeer = PeerDto;

describe.skipIf(skip)("web app (browser)", () => {
  let dashboard: Dashboard;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: ErrorWatch;
  const configuration = uniqueName("web", 10);
  const interfaceName = uniqueName("wgw");
  let iface: ApiInterface;
  const viewer = { username: "viewer1", password: "viewer-first-pass", newPassword: "viewer-own-pass-2" };

  async function liveKeys(): Promise<string[]> {
    const { stdout } = await dashboard.namespace!.exec("wg", ["show", interfaceName, "peers"]);
    return stdout.split("\n").filter(Boolean);
  }

  async function apiPeer(name: string): Promise<ApiPeer | undefined> {
    const page = await dashboard.admin.request<{ items: ApiPeer[] }>(
      "GET",
      `/api/v1/configurations/${configuration}/peers?search=${encodeURIComponent(name)}`,
    );
    return page.items.find((p) => p.name === name);
  }

  function noErrors(where: string): void {
    expect(errors.take(), `console errors on ${where}`).toEqual([]);
  }

  beforeAll(async () => {
    dashboard = await startDashboard("app");
    await dashboard.admin.request("POST", "/api/v1/configurations", {
      name: configuration,
      description: "browser test",
      dns: ["198.51.100.1"],
    });
    iface = await dashboard.admin.request<ApiInterface>(
      "POST",
      `/api/v1/configurations/${configuration}/interfaces`,
      {
        nodeId: "local",
        listenPort: 20_000 + Math.floor(Math.random() * 40_000),
        pool: "198.51.100.0/24",
        interfaceName,
      },
    );
    await dashboard.admin.request("POST", "/api/v1/users", {
      username: viewer.username,
      password: viewer.password,
      role: "viewer",
      mustChangePassword: true,
    });
    browser = await launchChromium();
    context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    errors = watchErrors(page);
  });

  afterAll(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    if (dashboard) {
      await dashboard.admin
        .request("DELETE", `/api/v1/configurations/${configuration}?force=true`)
        .catch(() => {});
      await dashboard.stop();
    }
  });

  it("signs in and shows the overview", async () => {
    await page.goto(dashboard.url);
    await page.waitForURL(/\/sign-in/);
    await page.getByLabel("Username").waitFor();
    await screenshot(page, "sign-in");
    expect(await unlabelledControls(page)).toEqual([]);
    await page.getByLabel("Username").fill(ADMIN_USER);
    await page.getByLabel("Password").fill("wrong-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByTestId("form-error").waitFor();
    errors.take(); // the browser logs the refused login (401) itself: that one is the test's doing
    await page.getByLabel("Password").fill(dashboard.adminPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Overview" }).waitFor();
    await page.getByTestId("stat-peers").waitFor();
    expect(await page.getByTestId("stat-nodes").textContent()).toBe("1 / 1");
    await screenshot(page, "overview");
    noErrors("sign-in and overview");
  });

  it("lists configurations and opens one with its interface", async () => {
    await page.getByRole("link", { name: "Configurations", exact: true }).click();
    const card = page.getByTestId("configuration-card").filter({ hasText: configuration });
    await card.waitFor();
    await screenshot(page, "configurations");
    await card.click();
    await page.getByRole("heading", { name: configuration }).waitFor();
    await expect.poll(() => page.getByTestId("interface-public-key").textContent()).toBe(iface.publicKey);
    await page.getByText("No peers yet.").waitFor();
    noErrors("configurations");
  });

  it("creates a peer on Local: no node badge, live on the interface", async () => {
    await page.getByTestId("add-peer").focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Add peer" });
    await dialog.waitFor();
    // No remote node: only this server is offered, with the line saying how to add nodes.
    await dialog.getByTestId("no-nodes").waitFor();
    const options = await dialog.getByTestId("node-select").locator("option").allTextContents();
    expect(options).toEqual(["Local (This Server)"]);
    expect(await dialog.getByTestId("node-help").textContent()).toContain("this server");
    await dialog.getByText("Advanced").click();
    expect(await unlabelledControls(page)).toEqual([]);
    await screenshot(page, "add-peer-dialog");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });

    await page.getByTestId("add-peer").click();
    await dialog.getByLabel("Name").fill("laptop-local");
    await dialog.getByLabel(/^Description/).fill("Ana's laptop");
    await dialog.getByTestId("create-peer").click();
    await page.getByTestId("peer-created").waitFor();
    const row = page.getByTestId("peer-row").filter({ hasText: "laptop-local" });
    await row.waitFor();
    expect(await row.getByTestId("node-badge").count()).toBe(0);
    expect(await row.textContent()).toContain("198.51.100.2");
    await screenshot(page, "configuration");

    const peer = await apiPeer("laptop-local");
    expect(peer?.node).toBe("local");
    expect(peer?.description).toBe("Ana's laptop");
    expect(await liveKeys()).toContain(peer?.publicKey);
    noErrors("add peer");
  });

  it("shows an API error next to the field it names", async () => {
    await page.getByTestId("add-peer").click();
    const dialog = page.getByRole("dialog", { name: "Add peer" });
    await dialog.getByLabel("Name").fill("bad-address");
    await dialog.getByLabel(/^Address/).fill("203.0.113.9");
    await dialog.getByTestId("create-peer").click();
    const field = dialog.locator(".field").filter({ has: page.getByLabel(/^Address/) });
    await field.getByRole("alert").waitFor();
    expect(await field.getByRole("alert").textContent()).toMatch(/\S/);
    expect(await dialog.getByLabel(/^Address/).getAttribute("aria-invalid")).toBe("true");
    await screenshot(page, "add-peer-field-error");
    errors.take(); // the refused request (400) is logged by the browser: the test asked for it
    await dialog.getByRole("button", { name: "Cancel" }).click();
    expect(await apiPeer("bad-address")).toBeUndefined();
  });

  it("opens the peer page: no badge, the config names the local interface's key, the QR code loads", async () => {
    await page.getByTestId("peer-link").filter({ hasText: "laptop-local" }).click();
    await page.getByTestId("peer-name").waitFor();
    expect(await page.getByTestId("peer-name").textContent()).toBe("laptop-local");
    expect(await page.getByTestId("peer-description").textContent()).toBe("Ana's laptop");
    expect(await page.getByTestId("node-badge").count()).toBe(0);
    await screenshot(page, "peer");

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("download-config").click(),
    ]);
    expect(download.suggestedFilename()).toBe("laptop-local.conf");
    const config = await readFile((await download.path()) as string, "utf8");
    expect(config).toContain("[Interface]");
    expect(config).toMatch(/Address = 198\.51\.100\.2\/32/);
    expect(config).toContain(`PublicKey = ${iface.publicKey}`);
    expect(config).toContain(`:${iface.listenPort}`);

    await checkQrCode(page, "peer-qr");
    noErrors("peer page");
  });

  it("disables and enables the peer, on the live interface too", async () => {
    const peer = (await apiPeer("laptop-local")) as ApiPeer;
    await page.getByTestId("toggle-peer").click();
    await expect.poll(() => page.getByTestId("peer-status").textContent()).toBe("disabled");
    expect((await apiPeer("laptop-local"))?.enabled).toBe(false);
    expect(await liveKeys()).not.toContain(peer.publicKey);
    await screenshot(page, "peer-disabled");
    await page.getByTestId("toggle-peer").click();
    await expect.poll(() => page.getByTestId("peer-status").textContent()).not.toBe("disabled");
    expect((await apiPeer("laptop-local"))?.enabled).toBe(true);
    expect(await liveKeys()).toContain(peer.publicKey);
    noErrors("disable / enable");
  });

  it("edits the peer's name and description", async () => {
    await page.getByTestId("edit-peer").click();
    const dialog = page.getByRole("dialog", { name: /^Edit/ });
    expect(await dialog.getByLabel(/^Description/).inputValue()).toBe("Ana's laptop");
    await dialog.getByLabel("Name").fill("laptop-renamed");
    await dialog.getByLabel(/^Description/).fill("Ana's work laptop");
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => page.getByTestId("peer-name").textContent()).toBe("laptop-renamed");
    expect(await page.getByTestId("peer-description").textContent()).toBe("Ana's work laptop");
    expect((await apiPeer("laptop-renamed"))?.description).toBe("Ana's work laptop");
    noErrors("edit");
  });

  it("deletes the peer after confirmation", async () => {
    const peer = (await apiPeer("laptop-renamed")) as ApiPeer;
    await page.getByTestId("delete-peer").click();
    const dialog = page.getByRole("dialog", { name: /^Delete/ });
    await screenshot(page, "peer-delete-confirm");
    await dialog.getByTestId("confirm").click();
    await page.waitForURL(new RegExp(`/configurations/${configuration}$`));
    await page.getByText("No peers yet.").waitFor();
    const gone = await dashboard.admin.raw("GET", `/api/v1/peers/${peer.id}`);
    expect(gone.status).toBe(404);
    expect(await liveKeys()).not.toContain(peer.publicKey);
    noErrors("delete");
  });

  it("searches, filters and sorts the peer table", async () => {
    for (const name of ["alpha", "beta", "gamma"]) {
      await dashboard.admin.request("POST", `/api/v1/configurations/${configuration}/peers`, {
        name,
        node: "local",
      });
    }
    const beta = (await apiPeer("beta")) as ApiPeer;
    await dashboard.admin.request("POST", `/api/v1/peers/${beta.id}/disable`);
    await page.reload();
    const rows = page.getByTestId("peer-row");
    await expect.poll(() => rows.count()).toBe(3);
    await page.getByTestId("peer-search").fill("amm");
    await expect.poll(() => rows.allTextContents()).toEqual([expect.stringContaining("gamma")]);
    await page.getByTestId("peer-search").fill(beta.publicKey.slice(0, 10));
    await expect.poll(() => rows.count()).toBe(1);
    await page.getByTestId("peer-search").fill("");
    await page.getByTestId("peer-status-filter").selectOption("disabled");
    await expect.poll(() => rows.allTextContents()).toEqual([expect.stringContaining("beta")]);
    await page.getByTestId("peer-status-filter").selectOption("");
    const order = async () => (await page.getByTestId("peer-link").allTextContents()).join(",");
    expect(await order()).toBe("alpha,beta,gamma"); // the API's order: by name
    await page.getByRole("button", { name: /^Name/ }).click();
    await expect.poll(order).toBe("gamma,beta,alpha");
    await page.getByRole("button", { name: /^Name/ }).click();
    await expect.poll(order).toBe("alpha,beta,gamma");
    await page.getByRole("button", { name: /^Status/ }).click(); // disabled first
    await expect.poll(order).toBe("beta,alpha,gamma");
    noErrors("peer table");
  });

  it("fits a phone-width screen and switches to the dark theme", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId("peer-row").first().waitFor();
    expect(await overflowsHorizontally(page)).toBe(false);
    await screenshot(page, "configuration-phone");
    await page.getByTestId("theme-toggle").click(); // system → light
    await page.getByTestId("theme-toggle").click(); // light → dark
    expect(await page.locator("html").getAttribute("data-theme")).toBe("dark");
    await screenshot(page, "configuration-phone-dark");
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByTestId("theme-toggle").click(); // dark → system
    noErrors("phone width");
  });

  it("shows settings: creates an API key shown once", async () => {
    await page.getByRole("link", { name: "Settings" }).click();
    await page.getByTestId("users-section").waitFor();
    await expect.poll(() => page.getByTestId("user-row").count()).toBe(2);
    await page.getByLabel("New key's name").fill("ci");
    await page.getByRole("button", { name: "Create key" }).click();
    const key = await page.getByTestId("new-api-key-value").textContent();
    expect(key).toMatch(/^wgf_/);
    const check = await fetch(`${dashboard.url}/api/v1/me`, { headers: { authorization: `Bearer ${key}` } });
    expect(check.status).toBe(200);
    expect(await unlabelledControls(page)).toEqual([]);
    await screenshot(page, "settings");
    noErrors("settings");
  });

  it("shows the nodes page with this server", async () => {
    await page.getByRole("link", { name: "Nodes" }).click();
    await page.getByTestId("node-row").first().waitFor();
    expect(await page.getByTestId("node-row").count()).toBe(1);
    expect(await page.getByTestId("node-row").textContent()).toContain("this server");
    await page.getByTestId("nodes-hint").waitFor();
    await screenshot(page, "nodes");
    await page.getByTestId("node-row").getByRole("link").click();
    await page.getByRole("heading", { name: "Pools" }).waitFor();
    await screenshot(page, "node");
    noErrors("nodes");
  });

  it("makes a viewer change the first password, then shows no change control; the API refuses anyway", async () => {
    const viewerContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const viewerPage = await viewerContext.newPage();
      const viewerErrors = watchErrors(viewerPage);
      await viewerPage.goto(`${dashboard.url}/sign-in`);
      await viewerPage.getByLabel("Username").fill(viewer.username);
      await viewerPage.getByLabel("Password").fill(viewer.password);
      await viewerPage.getByRole("button", { name: "Sign in" }).click();
      await viewerPage.waitForURL(/\/change-password/);
      await screenshot(viewerPage, "change-password");
      await viewerPage.getByLabel("Current password").fill(viewer.password);
      await viewerPage.getByLabel("New password", { exact: true }).fill(viewer.newPassword);
      await viewerPage.getByLabel("New password again").fill(viewer.newPassword);
      await viewerPage.getByRole("button", { name: "Save and continue" }).click();
      await viewerPage.getByRole("heading", { name: "Overview" }).waitFor();

      await viewerPage.goto(`${dashboard.url}/configurations/${configuration}`);
      await viewerPage.getByTestId("peer-row").first().waitFor();
      for (const control of ["add-peer", "add-interface"])
        expect(await viewerPage.getByTestId(control).count(), control).toBe(0);
      for (const name of ["Edit", "Delete", "Remove from this node"]) {
        expect(await viewerPage.getByRole("button", { name, exact: true }).count(), name).toBe(0);
      }
      expect(await viewerPage.getByTestId("peer-table").locator("input[type=checkbox]").count()).toBe(0);
      await screenshot(viewerPage, "viewer-configuration");

      await viewerPage.getByTestId("peer-link").first().click();
      await viewerPage.getByTestId("peer-name").waitFor();
      for (const control of ["download-config", "show-qr", "edit-peer", "toggle-peer", "delete-peer"]) {
        expect(await viewerPage.getByTestId(control).count(), control).toBe(0);
      }
      await screenshot(viewerPage, "viewer-peer");

      await viewerPage.getByRole("link", { name: "Settings" }).click();
      await viewerPage.getByRole("heading", { name: "API keys" }).waitFor();
      expect(await viewerPage.getByTestId("users-section").count()).toBe(0);
      expect(await viewerPage.getByTestId("apikey-form").count()).toBe(0);
      await viewerPage.getByRole("link", { name: "Nodes" }).click();
      await viewerPage.getByTestId("node-row").first().waitFor();
      expect(await viewerPage.getByTestId("add-node").count()).toBe(0);
      await screenshot(viewerPage, "viewer-nodes");
      expect(viewerErrors.take()).toEqual([]);

      const api = await ApiSession.login(dashboard.url, viewer.username, viewer.newPassword);
      const alpha = (await apiPeer("alpha")) as ApiPeer;
      const refused = [
        await api.raw("POST", `/api/v1/configurations/${configuration}/peers`, { name: "sneaky" }),
        await api.raw("POST", `/api/v1/peers/${alpha.id}/disable`),
        await api.raw("DELETE", `/api/v1/peers/${alpha.id}`),
        await api.raw("GET", `/api/v1/peers/${alpha.id}/config`),
      ];
      expect(refused.map((r) => r.status)).toEqual([403, 403, 403, 403]);
      expect((await apiPeer("alpha"))?.enabled).toBe(true);
    } finally {
      await viewerContext.close();
    }
  });

  it("takes a signed-in user to the password change when the server answers PASSWORD_CHANGE_REQUIRED", async () => {
    const viewerContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const viewerPage = await viewerContext.newPage();
      const viewerErrors = watchErrors(viewerPage);
      await viewerPage.goto(`${dashboard.url}/sign-in`);
      await viewerPage.getByLabel("Username").fill(viewer.username);
      await viewerPage.getByLabel("Password").fill(viewer.newPassword);
      await viewerPage.getByRole("button", { name: "Sign in" }).click();
      await viewerPage.getByRole("heading", { name: "Overview" }).waitFor();
      // An admin asks for a new password while the page is open (the session stays valid).
      const { items } = await dashboard.admin.request<{ items: ApiUser[] }>("GET", "/api/v1/users");
      const id = items.find((u) => u.username === viewer.username)?.id;
      await dashboard.admin.request("PATCH", `/api/v1/users/${id}`, { mustChangePassword: true });
      await viewerPage.goto(`${dashboard.url}/nodes`); // (the Overview's poll may get the 403 first)
      await viewerPage.waitForURL(/\/change-password/);
      viewerErrors.take(); // the browser logs the refused request (403) itself
    } finally {
      await viewerContext.close();
    }
  });
});
