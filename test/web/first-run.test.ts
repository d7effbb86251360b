// A newcomer's first run in a real Chromium against a real dashboard whose local node runs
// wireguard-go in a test namespace: the Overview asks for the public address and its "Create one"
// opens New configuration, which leads straight to Add interface; the endpoint given as a bare public
// host takes the listen port; a first peer's downloaded config connects to host:port. The interface is
// then edited in place (endpoint, port, DNS, MTU): the dialog warns that client configs change, the
// peer is kept, its config and the live interface follow. Endpoint warnings for a single-label name,
// loopback and private addresses (typed only: nothing is ever sent to them). Add peer on a configuration
// without an interface leads to Add interface. The local node's public address is edited in the UI.
// Every page must log no console error; screenshots go to test-output/screenshots/first-run-*.

import { randomInt } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandPrerequisite, missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import {
  type ErrorWatch,
  launchChromium,
  screenshot,
  unlabelledControls,
  watchErrors,
} from "./support/browser.js";
import { ADMIN_USER, type Dashboard, startDashboard, uniqueName } from "./support/dashboard.js";

const skip = missingPrerequisites([...wireguardPrerequisites(), commandPrerequisite("chromium")]);

interface ApiPeer {
  id: string;
  name: string;
  publicKey: string;
}

describe.skipIf(skip)("first run (browser)", () => {
  let dashboard: Dashboard;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: ErrorWatch;
  const configuration = uniqueName("fr", 10);
  const bare = uniqueName("frb", 10);
  const firstPort = randomInt(20_000, 40_000);
  const secondPort = randomInt(40_000, 60_000);

  function noErrors(where: string): void {
    expect(errors.take(), `console errors on ${where}`).toEqual([]);
  }

  async function peers(name: string): Promise<ApiPeer[]> {
    return (
      await dashboard.admin.request<{ items: ApiPeer[] }>("GET", `/api/v1/configurations/${name}/peers`)
    ).items;
  }

  async function livePort(): Promise<number> {
    const { stdout } = await dashboard.namespace!.exec("wg", ["show", configuration, "listen-port"]);
    return Number(stdout.trim());
  }

  /** Types an endpoint and waits for the warning (or its absence) the check answers with. */
  async function expectWarning(scope: Locator, field: Locator, text: string, kind: RegExp | null) {
    await field.fill(text);
    const warning = scope.getByTestId("endpoint-warning");
    if (kind) {
      // The check answers a moment after typing: the previous text's warning may still be up.
      await expect
        .poll(async () => (await warning.allTextContents()).join(" "), { timeout: 5_000 })
        .toMatch(kind);
    } else {
      await expect.poll(() => warning.count(), { timeout: 5_000 }).toBe(0);
    }
  }

  beforeAll(async () => {
    dashboard = await startDashboard("first-run");
    browser = await launchChromium();
    context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    errors = watchErrors(page);
  });

  afterAll(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    if (dashboard) {
      for (const name of [configuration, bare])
        await dashboard.admin.request("DELETE", `/api/v1/configurations/${name}?force=true`).catch(() => {});
      await dashboard.stop();
    }
  });

  it("signs in to an Overview that asks for the public address and offers to create a configuration", async () => {
    await page.goto(dashboard.url);
    await page.getByLabel("Username").fill(ADMIN_USER);
    await page.getByLabel("Password").fill(dashboard.adminPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Overview" }).waitFor();
    errors.take(); // the session probe before signing in is another issue's (bug 9)
    await page.getByTestId("public-address-banner").waitFor();
    expect(await page.getByTestId("public-address-banner").textContent()).toContain("hostname");
    await screenshot(page, "first-run-overview");
    noErrors("overview");
  });

  it("Create one opens New configuration, which leads straight to Add interface", async () => {
    await page.getByTestId("create-configuration-link").click();
    const create = page.getByRole("dialog", { name: "New configuration" });
    await create.waitFor();
    await create.getByLabel("Name").fill(configuration);
    await create.getByRole("button", { name: "Create configuration" }).click();
    await page.getByRole("heading", { name: configuration, exact: true }).waitFor();
    const dialog = page.getByRole("dialog", { name: `Put ${configuration} on a node` });
    await dialog.waitFor();
    expect(await unlabelledControls(page)).toEqual([]);
    noErrors("new configuration");
  });

  it("warns under the endpoint field for a single-label name, loopback and private addresses", async () => {
    const dialog = page.getByRole("dialog", { name: `Put ${configuration} on a node` });
    const endpoint = dialog.getByLabel(/^Endpoint for clients/);
    await expectWarning(dialog, endpoint, "vm", /single-label/);
    await screenshot(page, "first-run-add-interface-warning");
    await expectWarning(dialog, endpoint, "127.0.0.1", /loopback/);
    await expectWarning(dialog, endpoint, "10.1.2.3:51820", /private/);
    await expectWarning(dialog, endpoint, "vpn.example.com", null);
    noErrors("endpoint warnings");
  });

  it("adds the interface with a bare public host: clients get host:listenport", async () => {
    const dialog = page.getByRole("dialog", { name: `Put ${configuration} on a node` });
    await dialog.getByLabel("Listen port").fill(String(firstPort));
    await dialog.getByLabel("IPv4 pool").fill("198.51.100.0/24");
    await screenshot(page, "first-run-add-interface");
    await dialog.getByRole("button", { name: "Add interface" }).click();
    await dialog.waitFor({ state: "hidden" });
    await expect
      .poll(() => page.getByTestId("interface-endpoint").textContent())
      .toBe(`vpn.example.com:${firstPort}`);
    expect(await livePort()).toBe(firstPort);
    noErrors("add interface");
  });

  it("adds a peer whose downloaded config connects to host:listenport", async () => {
    await page.getByTestId("add-peer").click();
    const dialog = page.getByRole("dialog", { name: "Add peer" });
    await dialog.getByLabel("Name").fill("first-phone");
    await dialog.getByTestId("create-peer").click();
    await page.getByTestId("peer-created").waitFor();
    await page.getByTestId("peer-link").filter({ hasText: "first-phone" }).click();
    await page.getByTestId("peer-name").waitFor();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("download-config").click(),
    ]);
    const config = await readFile((await download.path()) as string, "utf8");
    expect(config).toContain(`Endpoint = vpn.example.com:${firstPort}`);
    await page.goBack();
    await page.getByRole("heading", { name: configuration, exact: true }).waitFor();
    noErrors("first peer");
  });

  it("edits the interface in place: warned about client configs, peer kept, config and live port follow", async () => {
    const [before] = await peers(configuration);
    await page.getByTestId("edit-interface").click();
    const dialog = page.getByRole("dialog", { name: new RegExp(`^Edit ${configuration} on`) });
    await dialog.waitFor();
    expect(await dialog.getByTestId("client-configs-change").count()).toBe(0);
    await dialog.getByLabel(/^Endpoint for clients/).fill("vpn2.example.com");
    await dialog.getByLabel("Listen port").fill(String(secondPort));
    await dialog.getByLabel(/^DNS for clients/).fill("198.51.100.53");
    await dialog.getByLabel(/^MTU/).fill("1380");
    await dialog.getByTestId("client-configs-change").waitFor();
    expect(await dialog.getByTestId("client-configs-change").textContent()).toContain("must re-import");
    expect(await unlabelledControls(page)).toEqual([]);
    await screenshot(page, "first-run-edit-interface");
    await dialog.getByRole("button", { name: "Save" }).click();
    await page.getByTestId("interface-saved").waitFor();
    expect(await page.getByTestId("interface-saved").textContent()).toContain("re-import");
    await expect
      .poll(() => page.getByTestId("interface-endpoint").textContent())
      .toBe(`vpn2.example.com:${secondPort}`);

    const after = await peers(configuration);
    expect(after.map((p) => p.id)).toEqual([before?.id]);
    const config = await dashboard.admin.request<string>("GET", `/api/v1/peers/${before?.id}/config`);
    expect(config).toContain(`Endpoint = vpn2.example.com:${secondPort}`);
    expect(config).toContain("DNS = 198.51.100.53");
    expect(config).toContain("MTU = 1380");
    expect(await livePort()).toBe(secondPort);
    const { stdout } = await dashboard.namespace!.exec("wg", ["show", configuration, "peers"]);
    expect(stdout.trim()).toBe(before?.publicKey);
    noErrors("edit interface");
  });

  it("Add peer on a configuration without an interface leads to Add interface", async () => {
    await dashboard.admin.request("POST", "/api/v1/configurations", { name: bare });
    await page.goto(`${dashboard.url}/configurations/${bare}`);
    await page.getByTestId("no-interface").waitFor();
    await page.getByTestId("empty-add-interface").waitFor();
    await page.getByTestId("add-peer").click();
    const dialog = page.getByRole("dialog", { name: `Put ${bare} on a node` });
    await dialog.waitFor();
    await dialog.getByTestId("interface-first").waitFor();
    await screenshot(page, "first-run-add-peer-without-interface");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "hidden" });
    expect(await page.getByRole("dialog", { name: "Add peer" }).count()).toBe(0);
    noErrors("add peer without an interface");
  });

  it("edits the local node's public address on /nodes/local, and the Overview stops asking", async () => {
    await page.goto(`${dashboard.url}/nodes/local`);
    await page.getByTestId("edit-local-node").click();
    const dialog = page.getByRole("dialog", { name: /this server/ });
    await dialog.waitFor();
    const field = dialog.getByLabel("Public address for clients");
    await expectWarning(dialog, field, "vm", /single-label/);
    await expectWarning(dialog, field, "192.168.1.10", /private/);
    await expectWarning(dialog, field, "198.51.100.7", null);
    expect(await unlabelledControls(page)).toEqual([]);
    await screenshot(page, "first-run-edit-local-node");
    await dialog.getByRole("button", { name: "Save" }).click();
    await dialog.waitFor({ state: "hidden" });
    await expect.poll(() => page.getByTestId("local-endpoint-host").textContent()).toBe("198.51.100.7");
    const node = await dashboard.admin.request<{ endpointHost: string }>("GET", "/api/v1/nodes/local");
    expect(node.endpointHost).toBe("198.51.100.7");

    await page.getByRole("link", { name: "Overview" }).first().click();
    await page.getByRole("heading", { name: "Overview" }).waitFor();
    await page.getByTestId("stat-peers").waitFor();
    expect(await page.getByTestId("public-address-banner").count()).toBe(0);
    noErrors("local node");
  });
});
