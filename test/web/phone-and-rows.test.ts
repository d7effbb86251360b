// The web app on a phone (390×844) and the peer table's per-row and bulk actions, in a real Chromium
// against a real dashboard whose local node runs wireguard-go in a test namespace (plus one remote node
// that is registered but not running, for its pages and dialogs): no page scrolls sideways, every
// dialog's buttons are on screen, the peer table turns into cards with whole names, a /64 pool reads
// "of 2^64" inside its card; from the table rows: the QR code, a config download, select + disable
// (checked through the API and on the live interface), select + zip of the configs, the Expires column
// and the expired filter. Every page must log no console error; screenshots (light and dark) go under
// test-output/screenshots/phone-*.
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { NodeDto, PeerDto } from "@wgfleet/core";
import { unzipSync } from "fflate";
import type { Browser, BrowserContext, Locator, Page, Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandPrerequisite, missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import {
  type ErrorWatch,
  launchChromium,
  overflowsHorizontally,
  screenshot,
  watchErrors,
} from "./support/browser.js";
import { ADMIN_USER, type Dashboard, freePort, startDashboard, uniqueName } from "./support/dashboard.js";

const skip = missingPrerequisites([...wireguardPrerequisites(), commandPrerequisite("chromium")]);

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const LONG_NAME = "conference-room-display-north-wing-floor-3";

// Run in the page. The repository's type check has no DOM library: the page's objects get the few
// members used here as types, and the dialog check is a string (it finds the open dialog itself).
interface Scrollable {
  scrollWidth: number;
  clientWidth: number;
  scrollHeight: number;
  clientHeight: number;
}
/** The open dialog, its close button and its action row (Cancel / Save / Delete …) outside the viewport. */
const DIALOG_OUT_OF_VIEW = `(() => {
  const dialog = document.querySelector("dialog[open]");
  if (!dialog) return ["no open dialog"];
  return [dialog, ...dialog.querySelectorAll(".modal-head button, .form-actions button, .form-actions a")]
    .map((el) => ({ el, r: el.getBoundingClientRect() }))
    .filter(({ r }) => r.left < -0.5 || r.top < -0.5 || r.right > window.innerWidth + 0.5 || r.bottom > window.innerHeight + 0.5)
    .map(({ el, r }) => (el === dialog ? "the dialog" : (el.textContent || "").trim() || el.getAttribute("aria-label")) + " at " + [r.left, r.top, r.right, r.bottom].map(Math.round).join(","));
})()`;
const DIALOG_ACTIONS = `document.querySelectorAll("dialog[open] .form-actions button").length`;
/** Whether an element hides some of its content (cut off sideways or below). */
const clipped = (element: unknown) => {
  const e = element as Scrollable;
  return e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1;
};
const sideways = (element: unknown) => {
  const e = element as Scrollable;
  return e.scrollWidth > e.clientWidth + 1;
};

describe.skipIf(skip)("web app on a phone, and peer row actions (browser)", () => {
  let dashboard: Dashboard;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: ErrorWatch;
  const configuration = uniqueName("phn", 10);
  const interfaceName = uniqueName("wgp");
  let remote: NodeDto;
  let peers: Map<string, PeerDto>;

  const api = <T>(method: string, path: string, body?: unknown) =>
    dashboard.admin.request<T>(method, path, body);
  const peersPath = `/api/v1/configurations/${configuration}/peers`;

  async function apiPeers(query = ""): Promise<PeerDto[]> {
    return (await api<{ items: PeerDto[] }>("GET", `${peersPath}?limit=500${query}`)).items;
  }

  async function liveKeys(): Promise<string[]> {
    const { stdout } = await dashboard.namespace!.exec("wg", ["show", interfaceName, "peers"]);
    return stdout.split("\n").filter(Boolean);
  }

  function noErrors(where: string): void {
    expect(errors.take(), `console errors on ${where}`).toEqual([]);
  }

  /** Opens a page and waits for what shows it has loaded. */
  async function open(path: string, ready: Locator): Promise<void> {
    await page.goto(`${dashboard.url}${path}`);
    await ready.waitFor();
  }

  /** The one open dialog: on screen with its buttons, screenshotted, then closed. */
  async function checkDialog(name: string, opener: Locator, withActions = true): Promise<Locator> {
    await opener.click();
    const dialog = page.getByRole("dialog");
    await dialog.waitFor();
    expect(await page.evaluate<string[]>(DIALOG_OUT_OF_VIEW), `${name}: out of view`).toEqual([]);
    if (withActions)
      expect(await page.evaluate<number>(DIALOG_ACTIONS), `${name}: action buttons`).toBeGreaterThan(0);
    expect(await overflowsHorizontally(page), `${name}: page overflows`).toBe(false);
    await screenshot(page, `phone-dialog-${name}`);
    return dialog;
  }

  async function closeDialog(): Promise<void> {
    await page.keyboard.press("Escape");
    await page.getByRole("dialog").waitFor({ state: "hidden" });
  }

  function row(name: string): Locator {
    return page
      .getByTestId("peer-row")
      .filter({ has: page.getByTestId("peer-link").getByText(name, { exact: true }) });
  }

  beforeAll(async () => {
    dashboard = await startDashboard("phone-and-rows");
    await api("POST", "/api/v1/configurations", {
      name: configuration,
      description: "phone and row actions",
    });
    await api("POST", `/api/v1/configurations/${configuration}/interfaces`, {
      nodeId: "local",
      listenPort: 20_000 + Math.floor(Math.random() * 40_000),
      pool: "198.51.100.0/24",
      pool6: "2001:db8:7::/64",
      interfaceName,
    });
    const created: Array<Record<string, unknown>> = [
      { name: LONG_NAME },
      { name: "bulk-1" },
      { name: "bulk-2" },
      { name: "bulk-3" },
      { name: "row-target" },
      { name: "old-pass", expiresAt: "2020-01-31" },
      { name: "future-pass", expiresAt: "2099-06-30" },
    ];
    for (const body of created) await api("POST", peersPath, { node: "local", ...body });
    peers = new Map((await apiPeers()).map((p) => [p.name, p]));
    // A remote node that is registered but not running: its pages and dialogs show all the same.
    remote = await api<NodeDto>("POST", "/api/v1/nodes", {
      name: "far-away-node-with-a-long-name",
      agentUrl: `http://127.0.0.1:${await freePort()}`,
      secret: randomBytes(24).toString("hex"),
      endpoint: "vpn.example.net",
    });
    browser = await launchChromium();
    context = await browser.newContext({ acceptDownloads: true, viewport: PHONE });
    page = await context.newPage();
    errors = watchErrors(page);
    await page.goto(`${dashboard.url}/sign-in`);
    await page.getByLabel("Username").fill(ADMIN_USER);
    await page.getByLabel("Password").fill(dashboard.adminPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Overview" }).waitFor();
    errors.take(); // the session probe before signing in
  });

  afterAll(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    if (dashboard) {
      if (remote) await api("DELETE", `/api/v1/nodes/${remote.id}?force=true`).catch(() => {});
      await api("DELETE", `/api/v1/configurations/${configuration}?force=true`).catch(() => {});
      await dashboard.stop();
    }
  });

  it("lays out every page within 390 px, light and dark", async () => {
    const peerId = peers.get("row-target")!.id;
    const pages: Array<[string, string, () => Locator]> = [
      ["overview", "/", () => page.getByTestId("stat-peers")],
      ["configurations", "/configurations", () => page.getByRole("link", { name: configuration }).first()],
      ["configuration", `/configurations/${configuration}`, () => page.getByTestId("peer-row").first()],
      ["peer", `/peers/${peerId}`, () => page.getByTestId("peer-name")],
      ["nodes", "/nodes", () => page.getByTestId("node-row").nth(1)],
      ["node-local", "/nodes/local", () => page.getByRole("heading", { name: "Pools" })],
      ["node-remote", `/nodes/${remote.id}`, () => page.getByRole("heading", { name: "Pools" })],
      ["settings", "/settings", () => page.getByTestId("users-section")],
    ];
    const wide: string[] = [];
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const [name, path, ready] of pages) {
        await open(path, ready());
        if (await overflowsHorizontally(page)) {
          wide.push(
            `${name} (${scheme}): ${await page.evaluate<number>("document.documentElement.scrollWidth")} px`,
          );
        }
        await screenshot(page, `phone-${name}-${scheme}`);
      }
    }
    await page.emulateMedia({ colorScheme: "light" });
    expect(wide).toEqual([]);
    noErrors("phone pages");
  });

  it("keeps every dialog's buttons on a phone's screen", async () => {
    await open("/configurations", page.getByTestId("new-configuration"));
    await checkDialog("new-configuration", page.getByTestId("new-configuration"));
    await closeDialog();

    await open(`/configurations/${configuration}`, page.getByTestId("peer-row").first());
    await checkDialog("add-interface", page.getByTestId("add-interface"));
    await closeDialog();
    const addPeer = await checkDialog("add-peer", page.getByTestId("add-peer"));
    await addPeer.getByText("Advanced").click(); // the longest form: the action row stays in view
    expect(await page.evaluate<string[]>(DIALOG_OUT_OF_VIEW), "add-peer advanced: out of view").toEqual([]);
    await screenshot(page, "phone-dialog-add-peer-advanced");
    await closeDialog();

    await open(`/peers/${peers.get("row-target")!.id}`, page.getByTestId("peer-name"));
    await checkDialog("edit-peer", page.getByTestId("edit-peer"));
    await closeDialog();
    const qr = await checkDialog("qr", page.getByTestId("show-qr"), false);
    await qr.getByTestId("qr-image").waitFor();
    await closeDialog();

    await open("/nodes", page.getByTestId("node-row").nth(1));
    await checkDialog("add-node", page.getByTestId("add-node"));
    await closeDialog();

    await open(`/nodes/${remote.id}`, page.getByTestId("edit-node"));
    await checkDialog("edit-node", page.getByTestId("edit-node"));
    await closeDialog();
    const remove = await checkDialog("delete-node", page.getByTestId("delete-node"));
    expect(await remove.getByRole("button", { name: "Delete node" }).isVisible()).toBe(true);
    await closeDialog();

    await open("/settings", page.getByTestId("users-section"));
    await checkDialog("add-user", page.getByTestId("add-user"));
    await closeDialog();
    // A new API key is an inline form: the key it shows must not widen the page; revoking confirms.
    await page.getByLabel("New key's name").fill("phone-key");
    await page.getByRole("button", { name: "Create key" }).click();
    await page.getByTestId("new-api-key-value").waitFor();
    expect(await overflowsHorizontally(page), "settings with a new key").toBe(false);
    await screenshot(page, "phone-settings-new-key");
    await checkDialog("revoke-key", page.getByRole("button", { name: "Revoke" }).first());
    await closeDialog();
    noErrors("phone dialogs");
  });

  it("shows the peer table as cards with whole names, and a /64 pool as a power of two", async () => {
    await open(`/configurations/${configuration}`, page.getByTestId("peer-row").first());
    const card = row(LONG_NAME);
    expect(await card.getAttribute("class")).toContain("pcard");
    const link = card.getByTestId("peer-link");
    expect(await link.textContent()).toBe(LONG_NAME);
    expect(await link.evaluate(clipped), "the long name is cut").toBe(false);
    expect(await page.getByTestId("peer-table").evaluate(sideways), "the card list scrolls sideways").toBe(
      false,
    );
    // Every card shows its status, switch, QR and download without scrolling sideways.
    expect(await card.evaluate(sideways)).toBe(false);
    for (const control of ["status", "row-qr", "row-download", "peer-select"])
      expect(await card.getByTestId(control).isVisible(), control).toBe(true);

    const ifaceCard = page.getByTestId("interface-card");
    const v6 = ifaceCard.getByTestId("pool-usage").filter({ hasText: "2001:db8:7::/64" });
    expect(await v6.textContent()).toContain(`${peers.size} of 2^64`);
    expect(await v6.textContent()).not.toMatch(/\d{1,3}(,\d{3}){4,}/);
    expect(await v6.getAttribute("title")).toBe("18,446,744,073,709,551,614 addresses");
    expect(await ifaceCard.evaluate(sideways), "the interface card overflows").toBe(false);
    expect(await v6.evaluate(sideways)).toBe(false);
    const v4 = ifaceCard.getByTestId("pool-usage").filter({ hasText: "198.51.100.0/24" });
    expect(await v4.textContent()).toContain(`${peers.size} of 253`);
    expect(await overflowsHorizontally(page)).toBe(false);
    await screenshot(page, "phone-peer-cards");
    noErrors("cards and pools");
  });

  it("selects peers on a phone and downloads their configs as one zip", async () => {
    const names = ["bulk-1", "bulk-2", "bulk-3"];
    for (const name of names) await row(name).getByTestId("peer-select").check();
    await expect.poll(() => page.getByTestId("bulk-count").textContent()).toBe("3 peers selected");
    expect(await overflowsHorizontally(page), "the bulk bar widens the page").toBe(false);
    await screenshot(page, "phone-bulk-bar");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("bulk-zip").click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${configuration}-configs.zip`);
    const files = unzipSync(new Uint8Array(await readFile((await download.path()) as string)));
    expect(Object.keys(files).sort()).toEqual(names.map((n) => `${n}.conf`));
    for (const bytes of Object.values(files))
      expect(new TextDecoder().decode(bytes)).toContain("[Interface]");
    await checkDialog("bulk-delete", page.getByTestId("bulk-delete"));
    await closeDialog();
    await page.getByTestId("bulk-clear").click();
    await page.getByTestId("bulk-bar").waitFor({ state: "hidden" });
    noErrors("zip of configs");
  });

  it("keeps a tablet-width table (four columns) inside the page, long names whole in their title", async () => {
    await page.setViewportSize({ width: 720, height: 900 });
    const long = row(LONG_NAME);
    await expect.poll(() => long.getAttribute("class")).toContain("prow");
    expect(await overflowsHorizontally(page)).toBe(false);
    expect(await page.getByTestId("peer-table").evaluate(sideways), "the table scrolls sideways").toBe(false);
    const link = long.getByTestId("peer-link");
    expect(await link.getAttribute("title")).toBe(LONG_NAME);
    // Far wider than ten characters: the name column takes what the narrow layout has to spare.
    const cellWidth = (el: unknown) =>
      (el as { parentElement: { clientWidth: number } }).parentElement.clientWidth;
    expect(await link.evaluate(cellWidth)).toBeGreaterThan(150);
    await screenshot(page, "tablet-peer-table");
    noErrors("tablet width");
  });

  it("fits the table to a 1024 px laptop without sideways scrolling (traffic columns left to the peer page)", async () => {
    await page.setViewportSize({ width: 1024, height: 768 });
    const target = row("row-target");
    await expect.poll(() => target.getAttribute("class")).toContain("prow");
    expect(await page.getByTestId("peer-table").evaluate(sideways), "the table scrolls sideways").toBe(false);
    expect(await target.getByTestId("row-download").isVisible()).toBe(true);
    expect(await target.getByTestId("peer-expires").isVisible()).toBe(true);
    await screenshot(page, "laptop-peer-table");
  });

  it("opens a peer's QR code and downloads its config from its table row", async () => {
    await page.setViewportSize(DESKTOP);
    const target = row("row-target");
    await target.waitFor();
    expect(await target.getAttribute("class")).toContain("prow");
    await target.getByTestId("row-qr").click();
    const dialog = page.getByRole("dialog", { name: "QR code for row-target" });
    const image = dialog.getByTestId("qr-image");
    await image.waitFor();
    const loaded = (img: unknown) => {
      const element = img as { complete: boolean; naturalWidth: number };
      return element.complete && element.naturalWidth > 0;
    };
    await expect.poll(() => image.evaluate(loaded)).toBe(true);
    await screenshot(page, "row-qr");
    await closeDialog();

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      target.getByTestId("row-download").click(),
    ]);
    expect(download.suggestedFilename()).toBe("row-target.conf");
    const config = await readFile((await download.path()) as string, "utf8");
    expect(config).toContain("[Interface]");
    expect(config).toContain(`PrivateKey =`);
    expect(
      await page.getByTestId("peer-table").evaluate(sideways),
      "the table scrolls sideways at 1280 px",
    ).toBe(false);
    noErrors("row QR and download");
  });

  it("disables three selected peers in one call, as the API and the interface show", async () => {
    const names = ["bulk-1", "bulk-2", "bulk-3"];
    const keys = names.map((n) => peers.get(n)!.publicKey);
    expect(await liveKeys()).toEqual(expect.arrayContaining(keys));
    for (const name of names) await row(name).getByTestId("peer-select").check();
    await page.getByTestId("bulk-disable").click();
    await expect.poll(() => page.getByTestId("bulk-summary").textContent()).toContain("Disabled 3 peers.");
    await screenshot(page, "bulk-disabled");
    const after = new Map((await apiPeers()).map((p) => [p.name, p]));
    expect(names.map((n) => after.get(n)?.enabled)).toEqual([false, false, false]);
    expect(after.get("row-target")?.enabled).toBe(true);
    const live = await liveKeys();
    for (const key of keys) expect(live).not.toContain(key);
    await page.getByTestId("bulk-clear").click();
    // The table's rows show it from the next load on (live in-place updates are the peer list's own).
    await page.reload();
    for (const name of names)
      expect(await row(name).getByTestId("status").textContent()).toContain("disabled");
    expect(await row("row-target").getByTestId("status").textContent()).not.toContain("disabled");
    noErrors("bulk disable");
  });

  it("shows when peers expire and filters the expired ones", async () => {
    const future = await row("future-pass").getByTestId("peer-expires").textContent();
    expect(future).toContain("2099");
    expect(await row("row-target").getByTestId("peer-expires").textContent()).toContain("never");
    const old = row("old-pass").getByTestId("peer-expires");
    expect(await old.textContent()).toContain("2020");
    expect(await old.textContent()).toContain("(expired)");
    expect(await old.getAttribute("title")).toMatch(/^Expired /);
    await page.getByTestId("peer-status-filter").selectOption("expired");
    await expect.poll(() => page.getByTestId("peer-link").allTextContents()).toEqual(["old-pass"]);
    // The API's own filter agrees.
    expect((await apiPeers("&status=expired")).map((p) => p.name)).toEqual(["old-pass"]);
    await screenshot(page, "expired-filter");
    await page.getByTestId("peer-status-filter").selectOption("");
    noErrors("expiry");
  });

  it("enables the selection again, and deletes selected peers only after confirming", async () => {
    for (const name of ["bulk-1", "bulk-2", "bulk-3"]) await row(name).getByTestId("peer-select").check();
    await page.getByTestId("bulk-enable").click();
    await expect.poll(() => page.getByTestId("bulk-summary").textContent()).toContain("Enabled 3 peers.");
    const enabled = new Map((await apiPeers()).map((p) => [p.name, p.enabled]));
    expect(["bulk-1", "bulk-2", "bulk-3"].map((n) => enabled.get(n))).toEqual([true, true, true]);
    await page.getByTestId("bulk-clear").click();

    for (const name of ["old-pass", "future-pass"]) await row(name).getByTestId("peer-select").check();
    await page.getByTestId("bulk-delete").click();
    const confirm = page.getByRole("dialog", { name: "Delete 2 peers?" });
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await confirm.waitFor({ state: "hidden" });
    expect((await apiPeers()).length).toBe(peers.size); // cancelled: nothing deleted
    await page.getByTestId("bulk-delete").click();
    await confirm.getByTestId("confirm").click();
    await expect.poll(() => page.getByTestId("bulk-summary").textContent()).toContain("Deleted 2 peers.");
    await expect.poll(() => row("old-pass").count()).toBe(0);
    expect(await row("future-pass").count()).toBe(0);
    const left = (await apiPeers()).map((p) => p.name);
    expect(left).not.toContain("old-pass");
    expect(left).not.toContain("future-pass");
    expect(left).toHaveLength(peers.size - 2);
    expect(await liveKeys()).not.toContain(peers.get("old-pass")!.publicKey);
    noErrors("bulk enable and delete");
  });

  it("sends the whole selection as one bulk request, and shows it running", async () => {
    const names = ["bulk-1", "bulk-2", "bulk-3"];
    for (const name of names) await row(name).getByTestId("peer-select").check();
    // Hold the bulk call, so the bar is caught while it runs.
    const bulkCalls = /\/api\/v1\/peers\/bulk$/;
    const held: Route[] = [];
    await page.route(bulkCalls, (route) => {
      held.push(route);
    });
    try {
      await page.getByTestId("bulk-disable").click();
      await expect.poll(() => held.length).toBe(1);
      expect(await page.getByTestId("bulk-progress").textContent()).toBe("Disabling 3 peers…");
      const sent = held[0]!.request().postDataJSON() as { ids: string[]; action: string };
      expect(sent.action).toBe("disable");
      expect([...sent.ids].sort()).toEqual(names.map((n) => peers.get(n)!.id).sort());
      await held[0]!.continue();
      await expect.poll(() => page.getByTestId("bulk-summary").textContent()).toContain("Disabled 3 peers.");
    } finally {
      await page.unroute(bulkCalls);
      for (const route of held.slice(1)) await route.continue().catch(() => {});
    }
    expect(held).toHaveLength(1);
    const enabled = new Map((await apiPeers()).map((p) => [p.name, p.enabled]));
    expect(names.map((n) => enabled.get(n))).toEqual([false, false, false]);
    await page.getByTestId("bulk-clear").click();
    noErrors("bulk request");
  });

  it("lists the peers a bulk action could not change, and why", async () => {
    const ghost = await api<PeerDto>("POST", peersPath, { name: "ghost", node: "local" });
    await open(`/configurations/${configuration}`, row("ghost"));
    // Hold the table's list requests so it still shows the peer deleted behind its back.
    const held: Route[] = [];
    const listRequests = /\/api\/v1\/configurations\/[^/]+\/peers\?/;
    await page.route(listRequests, (route) => {
      held.push(route);
    });
    try {
      await api("DELETE", `/api/v1/peers/${ghost.id}`);
      for (const name of ["ghost", "row-target"]) await row(name).getByTestId("peer-select").check();
      await page.getByTestId("bulk-disable").click();
      const summary = page.getByTestId("bulk-summary");
      await expect.poll(() => summary.textContent()).toContain("Disabled 1 peer. 1 peer failed:");
      const failures = await page.getByTestId("bulk-failures").getByRole("listitem").allTextContents();
      expect(failures).toHaveLength(1);
      expect(failures).toEqual(["ghost: it was deleted meanwhile"]);
      expect(await row("ghost").count(), "the deleted peer left the table").toBe(0);
      // The bulk call answers 200 with every peer's outcome: nothing for the console.
      expect(errors.take()).toEqual([]);
      await screenshot(page, "bulk-failure");
    } finally {
      await page.unroute(listRequests);
      for (const route of held) await route.continue().catch(() => {});
    }
    expect((await apiPeers()).find((p) => p.name === "row-target")?.enabled).toBe(false);
    await page.getByTestId("bulk-clear").click();
    noErrors("bulk failure");
  });

  it("gives a viewer no checkboxes, bulk bar or config actions in the rows", async () => {
    const viewer = { username: "phone-viewer", password: `pw-${randomBytes(8).toString("hex")}` };
    await api("POST", "/api/v1/users", { ...viewer, role: "viewer", mustChangePassword: false });
    const viewerContext = await browser.newContext({ viewport: DESKTOP });
    try {
      const viewerPage = await viewerContext.newPage();
      const viewerErrors = watchErrors(viewerPage);
      await viewerPage.goto(`${dashboard.url}/sign-in`);
      await viewerPage.getByLabel("Username").fill(viewer.username);
      await viewerPage.getByLabel("Password").fill(viewer.password);
      await viewerPage.getByRole("button", { name: "Sign in" }).click();
      await viewerPage.getByRole("heading", { name: "Overview" }).waitFor();
      viewerErrors.take(); // the session probe before signing in
      for (const viewport of [DESKTOP, PHONE]) {
        await viewerPage.setViewportSize(viewport);
        await viewerPage.goto(`${dashboard.url}/configurations/${configuration}`);
        await viewerPage.getByTestId("peer-row").first().waitFor();
        for (const control of ["peer-select", "select-all", "row-qr", "row-download", "bulk-bar"])
          expect(await viewerPage.getByTestId(control).count(), `${control} at ${viewport.width} px`).toBe(0);
        expect(await viewerPage.getByTestId("peer-expires").count()).toBeGreaterThan(0);
      }
      expect(viewerErrors.take()).toEqual([]);
    } finally {
      await viewerContext.close();
    }
  });
});
