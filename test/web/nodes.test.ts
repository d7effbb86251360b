// The web app with a remote node, in a real Chromium against a real dashboard (local node in a test
// namespace) and a real agent in another: sign in, add the node through the Nodes page form, the Add
// peer dialog's node selector (fetched on open, help line per choice), a peer on Auto (lands on the
// node: badge with the network icon, config naming the node's interface key, a client pings through
// it) and one on Local (no badge, the local interface's key), QR code, disable / enable and delete
// (checked on the live interfaces), then the Nodes page: status, last seen, version, peers / max,
// weight, pool bars; edit, test, a rebuilt node's new agent confirmed on its page, enable / disable, and
// delete of a node with no peers.
// Every page must log no console error; each gets a screenshot under test-output/screenshots/fleet-*.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FleetNode } from "../fleet/harness.js";
import { useFleet } from "../fleet/suite.js";
import { commandPrerequisite, missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import {
  type ErrorWatch,
  launchChromium,
  screenshot,
  unlabelledControls,
  watchErrors,
} from "./support/browser.js";
import { REPO_ROOT } from "./support/dashboard.js";
import { checkQrCode } from "./support/peer-page.js";

const skip = missingPrerequisites([...wireguardPrerequisites(), commandPrerequisite("chromium")]);
const PREFIX = "wn";
const CONFIGURATION = "wnet";
const LOCAL_POOL = "198.51.100.0/24";
const REMOTE_POOL = "203.0.113.0/24";
const REMOTE_GATEWAY = "203.0.113.1";
const LISTEN_PORT = 51820;

interface ApiInterface {
  nodeId: string;
  name: string;
  publicKey: string;
  listenPort: number;
  endpoint: string;
}
interface ApiPeer {
  id: string;
  name: string;
  node: string;
  publicKey: string;
  addresses: string[];
  enabled: boolean;
}
interface ApiNode {
  id: string;
  name: string;
  agentUrl: string | null;
  endpointHost: string | null;
  enabled: boolean;
  weight: number;
  maxPeers: number;
  status: string;
  lastSeenAt: string | null;
  lastHealth: { version?: string } | null;
  peerCount: number;
}

describe.skipIf(skip)("web app with a remote node (browser)", () => {
  const fleet = useFleet({
    nodes: 1,
    prefix: PREFIX,
    dashboard: { local: true, env: { WGFLEET_HEALTH_INTERVAL_SECONDS: "2" } },
  });
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: ErrorWatch;
  let localIface: ApiInterface;
  let remoteIface: ApiInterface;

  const node = (): FleetNode => fleet().node(0);
  const nodeId = (): string => {
    const id = node().id;
    if (!id) throw new Error("the node was not added (the add-node test failed)");
    return id;
  };

  async function apiNodes(): Promise<ApiNode[]> {
    return (await fleet().api.expect<{ items: ApiNode[] }>("GET", "/api/v1/nodes")).json.items;
  }

  async function apiPeer(name: string): Promise<ApiPeer | undefined> {
    const answer = await fleet().api.expect<{ items: ApiPeer[] }>(
      "GET",
      `/api/v1/configurations/${CONFIGURATION}/peers?search=${encodeURIComponent(name)}`,
    );
    return answer.json.items.find((p) => p.name === name);
  }

  async function remoteKeys(): Promise<string[]> {
    const { stdout } = await node().ns.exec("wg", ["show", node().interfaceName(0), "peers"]);
    return stdout.split("\n").filter(Boolean);
  }

  async function localKeys(): Promise<string[]> {
    const local = fleet().local;
    if (!local) throw new Error("the fleet has no local node");
    const { stdout } = await local.exec("wg", ["show", fleet().localInterfaceName(0), "peers"]);
    return stdout.split("\n").filter(Boolean);
  }

  function noErrors(where: string): void {
    expect(errors.take(), `console errors on ${where}`).toEqual([]);
  }

  function nodeRow(name: string): Locator {
    return page.getByTestId("node-row").filter({ has: page.getByRole("link", { name, exact: true }) });
  }

  /** The text of a node row's cell under the column headed `header`. */
  async function cell(name: string, header: string): Promise<string> {
    const headers = (await page.getByTestId("nodes-table").locator("thead th").allTextContents()).map((h) =>
      h.trim(),
    );
    const at = headers.indexOf(header);
    if (at < 0) throw new Error(`the nodes table has no column "${header}" (${headers.join(", ")})`);
    // innerText, not textContent: what a person sees, without visually hidden labels.
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text.
    return (await nodeRow(name).locator("td").nth(at).innerText()).replace(/\s+/g, " ").trim();
  }

  async function openConfiguration(): Promise<void> {
    await page.goto(`${fleet().dashboard?.url}/configurations/${CONFIGURATION}`);
    await page.getByRole("heading", { name: CONFIGURATION }).waitFor();
    await expect.poll(() => page.getByTestId("interface-card").count()).toBe(2);
  }

  /** Opens the Add peer dialog; resolves once its node list was fetched for this opening. */
  async function openAddPeer(): Promise<Locator> {
    const fetched = page.waitForRequest((request) => request.url().endsWith("/api/nodes/enabled"));
    await page.getByTestId("add-peer").click();
    const dialog = page.getByRole("dialog", { name: "Add peer" });
    await dialog.waitFor();
    await fetched;
    await expect.poll(() => dialog.getByTestId("node-help").textContent()).not.toBe("Loading nodes…");
    return dialog;
  }

  async function createPeer(name: string, choice: string): Promise<void> {
    const dialog = await openAddPeer();
    await dialog.getByLabel("Name").fill(name);
    await dialog.getByTestId("node-select").selectOption(choice);
    await dialog.getByTestId("create-peer").click();
    await dialog.waitFor({ state: "hidden" });
    await expect.poll(() => page.getByTestId("peer-created").textContent()).toContain(name);
  }

  async function downloadConfig(fileName: string): Promise<string> {
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("download-config").click(),
    ]);
    expect(download.suggestedFilename()).toBe(fileName);
    return readFile((await download.path()) as string, "utf8");
  }

  async function openPeer(name: string): Promise<void> {
    await openConfiguration();
    await page.getByTestId("peer-link").filter({ hasText: name }).click();
    await expect.poll(() => page.getByTestId("peer-name").textContent()).toBe(name);
  }

  async function openNodesPage(): Promise<void> {
    await page
      .getByRole("navigation", { name: "Sections" })
      .getByRole("link", { name: "Nodes", exact: true })
      .click();
    await page.getByRole("heading", { name: "Nodes", exact: true }).waitFor();
    await page.getByTestId("node-row").first().waitFor();
  }

  beforeAll(async () => {
    const web = join(REPO_ROOT, "packages/web/dist/index.html");
    if (!existsSync(web)) throw new Error(`${web} is missing: run \`npm run build\` first`);
    const api = fleet().api;
    await api.expect("POST", "/api/v1/configurations", {
      name: CONFIGURATION,
      description: "browser test with a remote node",
      clientAllowedIps: [LOCAL_POOL, REMOTE_POOL],
    });
    const local = fleet().local;
    localIface = (
      await api.expect<ApiInterface>(
        "POST",
        `/api/v1/configurations/${CONFIGURATION}/interfaces`,
        {
          nodeId: "local",
          listenPort: LISTEN_PORT,
          pool: LOCAL_POOL,
          endpoint: `${local?.nsAddress}:${LISTEN_PORT}`,
          interfaceName: fleet().localInterfaceName(0),
        },
        [201],
      )
    ).json;
    browser = await launchChromium();
    context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    errors = watchErrors(page);
  });

  afterAll(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
  });

  it("signs in", async () => {
    const dashboard = fleet().dashboard;
    if (!dashboard) throw new Error("the fleet has no dashboard");
    await page.goto(dashboard.url);
    await page.waitForURL(/\/sign-in/);
    await page.getByLabel("Username").fill(dashboard.adminUser);
    await page.getByLabel("Password").fill(dashboard.adminPassword);
    await screenshot(page, "fleet-sign-in");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Overview" }).waitFor();
    await page.getByTestId("stat-nodes").waitFor();
    await screenshot(page, "fleet-overview");
    noErrors("sign-in");
  });

  it("adds the node through the Nodes page form; it turns online", async () => {
    await openNodesPage();
    expect(await page.getByTestId("node-row").count()).toBe(1);
    await page.getByTestId("add-node").click();
    const dialog = page.getByRole("dialog", { name: "Add node" });
    await dialog.waitFor();
    await dialog.getByLabel("Name").fill(node().name);
    await dialog.getByLabel("Agent URL").fill(node().agentUrl);
    await dialog.getByLabel("Shared secret").fill(node().secret);
    await dialog.getByLabel("Endpoint host for clients").fill(node().address);
    expect(await unlabelledControls(page)).toEqual([]);
    await screenshot(page, "fleet-add-node");
    await dialog.getByRole("button", { name: "Add node" }).click();
    await dialog.waitFor({ state: "hidden" });
    await nodeRow(node().name).waitFor();

    const added = (await apiNodes()).find((n) => n.name === node().name);
    expect(added).toMatchObject({
      agentUrl: node().agentUrl,
      endpointHost: node().address,
      enabled: true,
      weight: 100,
    });
    node().id = added?.id ?? null;
    await expect
      .poll(() => nodeRow(node().name).getByTestId("status").textContent(), { timeout: 30_000 })
      .toBe("online");
    expect(await page.getByTestId("nodes-hint").count()).toBe(0);
    noErrors("add node");
  });

  it("puts the configuration on the node too (API)", async () => {
    remoteIface = (
      await fleet().api.expect<ApiInterface>(
        "POST",
        `/api/v1/configurations/${CONFIGURATION}/interfaces`,
        {
          nodeId: nodeId(),
          listenPort: LISTEN_PORT,
          pool: REMOTE_POOL,
          interfaceName: node().interfaceName(0),
        },
        [201],
      )
    ).json;
    expect(remoteIface.endpoint).toBe(`${node().address}:${LISTEN_PORT}`);
    expect(remoteIface.publicKey).not.toBe(localIface.publicKey);
    expect(await remoteKeys()).toEqual([]);
  });

  it("lists the nodes: status, last seen, version, peers / max, weight, pool bars", async () => {
    const name = node().name;
    await page.reload();
    await nodeRow(name).waitFor();
    const listed = (await apiNodes()).find((n) => n.id === nodeId()) as ApiNode;
    const version = listed.lastHealth?.version;
    expect(version).toMatch(/\d+\.\d+/);
    expect(await cell(name, "Status")).toBe("online");
    expect(await cell(name, "Last seen")).toMatch(/^(just now|\d+ s ago)$/);
    expect(await cell(name, "Version")).toBe(version);
    expect(await cell(name, "Peers / max")).toMatch(/^0 \/ 1,000 0%$/);
    expect(await cell(name, "Weight")).toBe("100");
    const pool = nodeRow(name).getByRole("meter", { name: `Pool ${REMOTE_POOL} on ${name}` });
    expect(await pool.getAttribute("aria-valuenow")).toBe("0");
    expect(
      await nodeRow(name)
        .getByRole("meter", { name: `${name} peers of max` })
        .count(),
    ).toBe(1);
    const local = page.getByTestId("node-row").filter({ hasText: "this server" });
    expect(await local.getByRole("meter", { name: /^Pool 198\.51\.100\.0\/24 on / }).count()).toBe(1);
    await screenshot(page, "fleet-nodes");
    noErrors("nodes list");
  });

  it("tests the node and shows the /test result", async () => {
    const answered = page.waitForResponse((response) =>
      response.url().endsWith(`/api/v1/nodes/${nodeId()}/test`),
    );
    await nodeRow(node().name).getByTestId("test-node").click();
    const dialog = page.getByRole("dialog", { name: `Test ${node().name}` });
    await dialog.waitFor();
    const shown = (await (await answered).json()) as { ok: boolean; message: string; agentVersion: string };
    expect(shown.ok).toBe(true);
    const result = dialog.getByTestId("node-test-result");
    await result.waitFor();
    expect((await result.textContent())?.trim()).toBe(shown.message);
    expect(await result.getAttribute("class")).toContain("alert-ok");
    const facts = dialog.locator("dl");
    expect(await facts.textContent()).toContain(`Agent version${shown.agentVersion}`);
    expect(await facts.textContent()).not.toContain("null");
    await screenshot(page, "fleet-node-test");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    noErrors("node test");
  });

  it("edits the node's weight", async () => {
    await nodeRow(node().name).getByTestId("edit-node").click();
    const dialog = page.getByRole("dialog", { name: `Edit ${node().name}` });
    await dialog.waitFor();
    expect(await dialog.getByLabel("Agent URL").inputValue()).toBe(node().agentUrl);
    expect(await dialog.getByLabel(/^Shared secret/).inputValue()).toBe("");
    await dialog.getByLabel("Weight").fill("150");
    await screenshot(page, "fleet-edit-node");
    await dialog.getByRole("button", { name: "Save" }).click();
    await dialog.waitFor({ state: "hidden" });
    await expect.poll(() => cell(node().name, "Weight")).toBe("150");
    const edited = (await apiNodes()).find((n) => n.id === nodeId());
    expect(edited).toMatchObject({ weight: 150, status: "online", agentUrl: node().agentUrl });
    noErrors("edit node");
  });

  it("shows the node's page with its health and pool", async () => {
    await nodeRow(node().name).getByRole("link", { name: node().name, exact: true }).click();
    await page.getByRole("heading", { name: node().name, exact: true }).waitFor();
    await page.getByRole("heading", { name: "Interfaces" }).waitFor();
    expect(await page.getByRole("cell", { name: node().interfaceName(0), exact: true }).count()).toBe(1);
    expect(await page.getByRole("meter", { name: `Pool ${REMOTE_POOL}` }).count()).toBe(1);
    await screenshot(page, "fleet-node");
    noErrors("node page");
  });

  it("offers Auto, Local and the node in Add peer, fetched on open; the help line follows the choice", async () => {
    await openConfiguration();
    const dialog = await openAddPeer();
    const select = dialog.getByTestId("node-select");
    expect(await select.locator("option").allTextContents()).toEqual([
      "Auto (Load Balanced)",
      "Local (This Server)",
      `${node().name} — 0/1000`,
    ]);
    expect(await select.inputValue()).toBe("auto");
    expect(await dialog.getByTestId("no-nodes").count()).toBe(0);
    const help = () => dialog.getByTestId("node-help").textContent();
    // The server's placement answer: the node, its score, and its load.
    expect(await help()).toBe(
      `Auto will pick ${node().name} (score 0): the least-loaded node that can take a peer now, 0 of 1000 peers (0%).`,
    );
    await screenshot(page, "fleet-add-peer-auto");

    await select.selectOption("local");
    await expect.poll(help).toContain("this server");
    await select.selectOption(nodeId());
    await expect
      .poll(help)
      .toBe(`${node().name}: 0 of 1000 peers (0%), online. The address comes from its pool.`);
    expect(await unlabelledControls(page)).toEqual([]);
    await screenshot(page, "fleet-add-peer-node");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "hidden" });
    noErrors("add peer dialog");
  });

  it("creates a peer with Auto: it lands on the node, with the node badge and its network icon", async () => {
    await createPeer("phone-auto", "auto");
    const row = page.getByTestId("peer-row").filter({ hasText: "phone-auto" });
    const badge = row.getByTestId("node-badge");
    await badge.waitFor();
    expect((await badge.textContent())?.trim()).toBe(node().name);
    expect(await badge.locator('svg[data-icon="network"]').count()).toBe(1);
    expect(await row.textContent()).toContain("203.0.113.2");

    const peer = (await apiPeer("phone-auto")) as ApiPeer;
    expect(peer.node).toBe(nodeId());
    expect(peer.addresses).toEqual(["203.0.113.2/32"]);
    await expect.poll(remoteKeys).toContain(peer.publicKey);
    expect(await localKeys()).not.toContain(peer.publicKey);
    noErrors("create on Auto");
  });

  it("creates a peer with Local: no node badge", async () => {
    await createPeer("laptop-local", "local");
    const row = page.getByTestId("peer-row").filter({ hasText: "laptop-local" });
    await row.waitFor();
    expect(await row.textContent()).toContain("198.51.100.2");
    expect(await row.getByTestId("node-badge").count()).toBe(0);

    const peer = (await apiPeer("laptop-local")) as ApiPeer;
    expect(peer.node).toBe("local");
    await expect.poll(localKeys).toContain(peer.publicKey);
    expect(await remoteKeys()).not.toContain(peer.publicKey);

    await page.getByTestId("peer-node-filter").selectOption(nodeId());
    await expect.poll(() => page.getByTestId("peer-link").allTextContents()).toEqual(["phone-auto"]);
    await page.getByTestId("peer-node-filter").selectOption("");
    await expect.poll(() => page.getByTestId("peer-row").count()).toBe(2);
    await screenshot(page, "fleet-configuration");
    noErrors("create on Local");
  });

  it("shows both nodes on the overview", async () => {
    await page.getByRole("link", { name: "Overview", exact: true }).click();
    await page.getByRole("heading", { name: "Overview" }).waitFor();
    await expect.poll(() => page.getByTestId("stat-nodes").textContent()).toBe("2 / 2");
    await page.getByRole("link", { name: node().name, exact: true }).waitFor();
    await screenshot(page, "fleet-overview-nodes");
    noErrors("overview");
  });

  it("refuses to delete the node while it hosts a peer unless its peers go too", async () => {
    await page.getByRole("link", { name: "Nodes", exact: true }).click();
    await expect.poll(() => cell(node().name, "Peers / max")).toMatch(/^1 \/ 1,000/);
    await nodeRow(node().name).getByTestId("delete-node").click();
    const dialog = page.getByRole("dialog", { name: `Delete ${node().name}?` });
    await dialog.waitFor();
    expect(await dialog.getByTestId("confirm").isDisabled()).toBe(true);
    expect(await dialog.getByRole("checkbox").count()).toBe(1);
    await screenshot(page, "fleet-delete-node-with-peers");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "hidden" });
    noErrors("delete refused");
  });

  it("opens the Auto peer: badge, config naming the node's key (a client pings through it: online), QR code", async () => {
    await openPeer("phone-auto");
    const badge = page.getByTestId("node-badge");
    await expect.poll(() => badge.textContent()).toContain(node().name);
    expect(await badge.locator('svg[data-icon="network"]').count()).toBe(1);
    await screenshot(page, "fleet-peer-auto");

    const config = await downloadConfig("phone-auto.conf");
    expect(config).toMatch(/Address = 203\.0\.113\.2\/32/);
    expect(config).toContain(`PublicKey = ${remoteIface.publicKey}`);
    expect(config).not.toContain(localIface.publicKey);
    expect(config).toContain(`Endpoint = ${node().address}:${LISTEN_PORT}`);
    const client = await fleet().createClient(config);
    try {
      expect(await client.ping(REMOTE_GATEWAY)).toBe(true);
      // The node's live stats reach the page: the dashboard polls them every 10 s, the page every 5 s.
      await expect
        .poll(() => page.getByTestId("peer-status").textContent(), { timeout: 45_000, interval: 1_000 })
        .toBe("online");
      await screenshot(page, "fleet-peer-auto-online");
    } finally {
      await fleet().removeClient(client);
    }

    await checkQrCode(page, "fleet-peer-qr");
    noErrors("Auto peer page");
  }, 90_000);

  it("disables and enables the Auto peer, on the node's live interface too", async () => {
    const peer = (await apiPeer("phone-auto")) as ApiPeer;
    await page.getByTestId("toggle-peer").click();
    await expect.poll(() => page.getByTestId("peer-status").textContent()).toBe("disabled");
    expect((await apiPeer("phone-auto"))?.enabled).toBe(false);
    await expect.poll(remoteKeys).not.toContain(peer.publicKey);
    await screenshot(page, "fleet-peer-disabled");
    await page.getByTestId("toggle-peer").click();
    await expect.poll(() => page.getByTestId("peer-status").textContent()).not.toBe("disabled");
    expect((await apiPeer("phone-auto"))?.enabled).toBe(true);
    await expect.poll(remoteKeys).toContain(peer.publicKey);
    noErrors("disable / enable");
  });

  it("deletes the Auto peer after confirmation: gone from the node", async () => {
    const peer = (await apiPeer("phone-auto")) as ApiPeer;
    await page.getByTestId("delete-peer").click();
    const dialog = page.getByRole("dialog", { name: "Delete phone-auto?" });
    await dialog.waitFor();
    await screenshot(page, "fleet-peer-delete-confirm");
    await dialog.getByTestId("confirm").click();
    await page.waitForURL(new RegExp(`/configurations/${CONFIGURATION}$`));
    await expect.poll(() => page.getByTestId("peer-link").allTextContents()).toEqual(["laptop-local"]);
    expect((await fleet().api.get(`/api/v1/peers/${peer.id}`)).status).toBe(404);
    await expect.poll(remoteKeys).not.toContain(peer.publicKey);
    noErrors("delete Auto peer");
  });

  it("opens the Local peer: no badge, the config names the local interface's key; deletes it", async () => {
    await openPeer("laptop-local");
    expect(await page.getByTestId("node-badge").count()).toBe(0);
    await screenshot(page, "fleet-peer-local");
    const config = await downloadConfig("laptop-local.conf");
    expect(config).toMatch(/Address = 198\.51\.100\.2\/32/);
    expect(config).toContain(`PublicKey = ${localIface.publicKey}`);
    expect(config).not.toContain(remoteIface.publicKey);
    expect(config).toContain(`Endpoint = ${localIface.endpoint}`);

    const peer = (await apiPeer("laptop-local")) as ApiPeer;
    await page.getByTestId("delete-peer").click();
    await page.getByRole("dialog", { name: "Delete laptop-local?" }).getByTestId("confirm").click();
    await page.waitForURL(new RegExp(`/configurations/${CONFIGURATION}$`));
    await page.getByText("No peers yet.").waitFor();
    await expect.poll(localKeys).not.toContain(peer.publicKey);
    noErrors("Local peer page");
  });

  it("a rebuilt node's page says another agent answers; Confirm this agent adopts it and its interface comes back", async () => {
    await fleet().stopAgent(0);
    await fleet().startAgent(0, { wipeState: true });
    await openNodesPage();
    await nodeRow(node().name).getByRole("link", { name: node().name, exact: true }).click();
    await page.getByRole("heading", { name: node().name, exact: true }).waitFor();
    const confirm = page.getByRole("button", { name: "Confirm this agent" });
    await expect
      .poll(
        async () => {
          if ((await confirm.count()) === 0) await page.reload();
          return confirm.count();
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBe(1);
    expect(await page.getByRole("status").filter({ hasText: "a different agent answers here" }).count()).toBe(
      1,
    );
    await screenshot(page, "fleet-node-other-agent");
    const links = async () => (await node().wireguardLinks()).join(" ");
    expect(await links()).not.toContain(node().interfaceName(0));
    await confirm.click();
    await expect.poll(() => confirm.count(), { timeout: 20_000 }).toBe(0);
    await expect.poll(links, { timeout: 20_000 }).toContain(node().interfaceName(0));
    await expect
      .poll(async () => (await apiNodes()).find((n) => n.id === nodeId())?.status, { timeout: 20_000 })
      .toBe("online");
    noErrors("confirming a node's new agent");
  });

  it("disables and enables the node on the Nodes page", async () => {
    await openNodesPage();
    const row = nodeRow(node().name);
    await expect.poll(() => cell(node().name, "Peers / max")).toMatch(/^0 \/ 1,000/);
    await row.getByTestId("toggle-node").click();
    await expect.poll(() => row.getByTestId("toggle-node").textContent()).toContain("Enable");
    expect(await row.locator(".badge", { hasText: "disabled" }).count()).toBe(1);
    expect((await apiNodes()).find((n) => n.id === nodeId())?.enabled).toBe(false);
    await screenshot(page, "fleet-node-disabled");

    // A disabled node is not offered for new peers.
    await openConfiguration();
    const dialog = await openAddPeer();
    expect(await dialog.getByTestId("node-select").locator("option").allTextContents()).toEqual([
      "Local (This Server)",
    ]);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await openNodesPage();
    await row.getByTestId("toggle-node").click();
    await expect.poll(() => row.getByTestId("toggle-node").textContent()).toContain("Disable");
    expect(await row.locator(".badge", { hasText: "disabled" }).count()).toBe(0);
    expect((await apiNodes()).find((n) => n.id === nodeId())?.enabled).toBe(true);
    noErrors("node enable / disable");
  });

  it("deletes the node with no peers; the agent drops its interface", async () => {
    await nodeRow(node().name).getByTestId("delete-node").click();
    const dialog = page.getByRole("dialog", { name: `Delete ${node().name}?` });
    await dialog.waitFor();
    expect(await dialog.getByRole("checkbox").count()).toBe(0);
    await dialog.getByTestId("confirm").click();
    await dialog.waitFor({ state: "hidden" });
    await expect.poll(() => nodeRow(node().name).count()).toBe(0);
    expect(await page.getByTestId("node-row").count()).toBe(1);
    expect((await apiNodes()).map((n) => n.id)).toEqual(["local"]);
    // wireguard-go's sockets are shared by every namespace: look for this node's interface by name.
    const interfaces = async () => (await node().ns.exec("wg", ["show", "interfaces"])).stdout.split(/\s+/);
    await expect.poll(interfaces).not.toContain(node().interfaceName(0));
    await screenshot(page, "fleet-nodes-after-delete");
    noErrors("node delete");
  });
});
