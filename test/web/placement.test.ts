// Auto's help line is the server's placement, in a real Chromium against a real dashboard and two real
// agents: node A (1 of 2 peers) and node B (2 of 4) tie on score 0.005 at weight 100; A has fewer peers
// and would win the tie-break, but its /30 pool holds one peer address and that one is taken. The Add
// peer dialog must name B, and the peer created on Auto must land on B (database and live interface).
// No console error on any page; at 1280 px and 390 px.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, type FleetNode } from "../fleet/harness.js";
import { useFleet } from "../fleet/suite.js";
import { commandPrerequisite, missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import {
  type ErrorWatch,
  launchChromium,
  overflowsHorizontally,
  screenshot,
  watchErrors,
} from "./support/browser.js";
import { REPO_ROOT } from "./support/dashboard.js";

const skip = missingPrerequisites([...wireguardPrerequisites(), commandPrerequisite("chromium")]);
const CONFIGURATION = "wplace";
const SMALL_POOL = "198.51.100.0/30";
const LARGE_POOL = "203.0.113.0/24";
const LISTEN_PORT = 51820;

interface ApiPeer {
  id: string;
  name: string;
  node: string;
  publicKey: string;
  addresses: string[];
}
interface Placement {
  node: string | null;
  nodeName: string | null;
  score: number | null;
  passedOver: { node: string; nodeName: string; code: string; reason: string }[];
}

describe.skipIf(skip)("Add peer's Auto help line is the server's placement (browser)", () => {
  const fleet = useFleet({
    nodes: 2,
    prefix: "wp",
    dashboard: { env: { WGFLEET_HEALTH_INTERVAL_SECONDS: "2" } },
  });
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: ErrorWatch;

  const nodeA = (): FleetNode => fleet().node(0);
  const nodeB = (): FleetNode => fleet().node(1);
  const idOf = (node: FleetNode): string => {
    if (!node.id) throw new Error(`${node.name} is not registered`);
    return node.id;
  };

  async function addPeer(name: string, node: FleetNode): Promise<ApiPeer> {
    const path = `/api/v1/configurations/${CONFIGURATION}/peers`;
    return (await fleet().api.expect<ApiPeer>("POST", path, { name, node: idOf(node) }, [201])).json;
  }

  async function apiPeer(name: string): Promise<ApiPeer | undefined> {
    const answer = await fleet().api.expect<{ items: ApiPeer[] }>(
      "GET",
      `/api/v1/configurations/${CONFIGURATION}/peers?search=${encodeURIComponent(name)}`,
    );
    return answer.json.items.find((p) => p.name === name);
  }

  async function liveKeys(node: FleetNode): Promise<string[]> {
    const { stdout } = await node.ns.exec("wg", ["show", node.interfaceName(0), "peers"]);
    return stdout.split("\n").filter(Boolean);
  }

  function noErrors(where: string): void {
    expect(errors.take(), `console errors on ${where}`).toEqual([]);
  }

  /** Opens Add peer on the configuration page; resolves with the placement answer the dialog fetched. */
  async function openAddPeer(): Promise<{ dialog: Locator; placement: Placement }> {
    await page.goto(`${fleet().dashboard?.url}/configurations/${CONFIGURATION}`);
    await page.getByRole("heading", { name: CONFIGURATION }).waitFor();
    const answered = page.waitForResponse((r) =>
      r.url().endsWith(`/configurations/${CONFIGURATION}/placement`),
    );
    await page.getByTestId("add-peer").click();
    const dialog = page.getByRole("dialog", { name: "Add peer" });
    await dialog.waitFor();
    const response = await answered;
    expect(response.status()).toBe(200);
    const placement = (await response.json()) as Placement;
    await expect.poll(() => dialog.getByTestId("node-help").textContent()).toMatch(/^Auto will pick /);
    return { dialog, placement };
  }

  beforeAll(async () => {
    const web = join(REPO_ROOT, "packages/web/dist/index.html");
    if (!existsSync(web)) throw new Error(`${web} is missing: run \`npm run build\` first`);
    const f = fleet();
    await f.registerNodes({ maxPeers: (node) => (node === nodeA() ? 2 : 4) });
    for (const node of [nodeA(), nodeB()]) {
      await eventually(async () => (await f.nodeStatus(node)) === "online", `${node.name} online`, {
        timeoutMs: 30_000,
      });
    }
    await f.api.expect("POST", "/api/v1/configurations", {
      name: CONFIGURATION,
      clientAllowedIps: [SMALL_POOL, LARGE_POOL],
    });
    for (const [node, pool] of [
      [nodeA(), SMALL_POOL],
      [nodeB(), LARGE_POOL],
    ] as const) {
      await f.api.expect(
        "POST",
        `/api/v1/configurations/${CONFIGURATION}/interfaces`,
        { nodeId: idOf(node), listenPort: LISTEN_PORT, pool, interfaceName: node.interfaceName(0) },
        [201],
      );
    }
    // A: 1/2 (its only peer address, .2, taken); B: 2/4. Both score (n / max) / 100 = 0.005.
    expect((await addPeer("a-1", nodeA())).addresses).toEqual(["198.51.100.2/32"]);
    await addPeer("b-1", nodeB());
    await addPeer("b-2", nodeB());

    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    errors = watchErrors(page);
    const dashboard = f.dashboard;
    if (!dashboard) throw new Error("the fleet has no dashboard");
    await page.goto(dashboard.url);
    await page.waitForURL(/\/sign-in/);
    await page.getByLabel("Username").fill(dashboard.adminUser);
    await page.getByLabel("Password").fill(dashboard.adminPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Overview" }).waitFor();
  }, 120_000);

  afterAll(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
  });

  it("names B, the node the server picks, with its score, and why not A; the peer lands on B", async () => {
    const { dialog, placement } = await openAddPeer();
    expect(placement).toMatchObject({ node: idOf(nodeB()), nodeName: nodeB().name });
    expect(placement.score).toBeCloseTo(0.005);
    expect(placement.passedOver.map((p) => [p.node, p.code])).toEqual([[idOf(nodeA()), "pool_exhausted"]]);
    expect(await dialog.getByTestId("node-select").inputValue()).toBe("auto");
    const help = (await dialog.getByTestId("node-help").textContent()) ?? "";
    expect(help).toContain(`Auto will pick ${nodeB().name} (score 0.005)`);
    expect(help).toContain("2 of 4 peers (50%)");
    expect(help).not.toContain(nodeA().name);
    const why = dialog.getByTestId("placement-passed-over");
    await why.locator("summary").click();
    expect(await why.getByTestId("passed-over").allTextContents()).toEqual([
      `${nodeA().name}: out of addresses (pool exhausted)`,
    ]);
    await screenshot(page, "placement-add-peer-1280");

    await dialog.getByLabel("Name").fill("auto-peer");
    await dialog.getByTestId("create-peer").click();
    await dialog.waitFor({ state: "hidden" });
    await expect.poll(() => page.getByTestId("peer-created").textContent()).toContain("auto-peer");
    const peer = (await apiPeer("auto-peer")) as ApiPeer;
    expect(peer.node).toBe(placement.node);
    expect(peer.addresses).toEqual(["203.0.113.4/32"]);
    await expect.poll(() => liveKeys(nodeB())).toContain(peer.publicKey);
    expect(await liveKeys(nodeA())).not.toContain(peer.publicKey);
    noErrors("add peer on Auto at 1280 px");
  });

  it("at 390 px: the refreshed answer (B at 3/4 now) fits the screen", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const { dialog, placement } = await openAddPeer();
    expect(placement.node).toBe(idOf(nodeB()));
    expect(placement.score).toBeCloseTo(0.0075);
    expect(await dialog.getByTestId("node-help").textContent()).toContain(
      `Auto will pick ${nodeB().name} (score 0.0075)`,
    );
    expect(await dialog.getByTestId("node-help").isVisible()).toBe(true);
    expect(await overflowsHorizontally(page)).toBe(false);
    await screenshot(page, "placement-add-peer-390");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "hidden" });
    noErrors("add peer at 390 px");
  });
});
