// The Move dialog (peer page) and the Drain dialog (node page), in a real Chromium against a real
// dashboard and two real agents, at 1280 px and 390 px: every field filled (target node, grace hours),
// the move's new config and its QR code shown, the peer on the target node (database and live
// interface); the drain's plan listing each peer, its progress running to "Finished", the node left
// empty and marked draining until "End draining". Any console error fails.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
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
const CONFIGURATION = "wmove";
const POOLS = ["198.51.100.0/25", "198.51.100.128/25"] as const;
const LISTEN_PORT = 51820;
const VIEWPORTS = [
  { width: 1280, height: 900 },
  { width: 390, height: 844 },
] as const;

interface ApiPeer {
  id: string;
  name: string;
  node: string;
  publicKey: string;
  addresses: string[];
}

describe.skipIf(skip)("Move and Drain dialogs (browser)", () => {
  const fleet = useFleet({
    nodes: 2,
    prefix: "wm",
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
  const url = (path: string) => `${fleet().dashboard?.url}${path}`;

  async function addPeer(name: string, node: FleetNode): Promise<ApiPeer> {
    const path = `/api/v1/configurations/${CONFIGURATION}/peers`;
    return (await fleet().api.expect<ApiPeer>("POST", path, { name, node: idOf(node) }, [201])).json;
  }

  async function getPeer(id: string): Promise<ApiPeer> {
    return (await fleet().api.expect<ApiPeer>("GET", `/api/v1/peers/${id}`)).json;
  }

  async function liveKeys(node: FleetNode): Promise<string[]> {
    const { stdout } = await node.ns.exec("wg", ["show", node.interfaceName(0), "peers"]);
    return stdout.split("\n").filter(Boolean);
  }

  function noErrors(where: string): void {
    expect(errors.take(), `console errors on ${where}`).toEqual([]);
  }

  beforeAll(async () => {
    const web = join(REPO_ROOT, "packages/web/dist/index.html");
    if (!existsSync(web)) throw new Error(`${web} is missing: run \`npm run build\` first`);
    const f = fleet();
    await f.registerNodes();
    for (const node of [nodeA(), nodeB()]) {
      await eventually(async () => (await f.nodeStatus(node)) === "online", `${node.name} online`, {
        timeoutMs: 30_000,
      });
    }
    await f.api.expect("POST", "/api/v1/configurations", {
      name: CONFIGURATION,
      clientAllowedIps: ["198.51.100.0/24"],
    });
    for (const [node, pool] of [
      [nodeA(), POOLS[0]],
      [nodeB(), POOLS[1]],
    ] as const) {
      await f.api.expect(
        "POST",
        `/api/v1/configurations/${CONFIGURATION}/interfaces`,
        { nodeId: idOf(node), listenPort: LISTEN_PORT, pool, interfaceName: node.interfaceName(0) },
        [201],
      );
    }
    browser = await launchChromium();
    context = await browser.newContext({ viewport: VIEWPORTS[0] });
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

  for (const viewport of VIEWPORTS) {
    it(`at ${viewport.width} px: Move puts the peer on the chosen node and shows its new config and QR code`, async () => {
      await page.setViewportSize(viewport);
      const peer = await addPeer(`move-${viewport.width}`, nodeA());
      await page.goto(url(`/peers/${peer.id}`));
      await page.getByRole("heading", { name: peer.name }).waitFor();
      await page.getByTestId("move-peer").click();
      const dialog = page.getByRole("dialog", { name: `Move ${peer.name} to another node` });
      await dialog.waitFor();
      await expect
        .poll(() =>
          dialog
            .getByLabel(/^Target node/)
            .locator("option")
            .count(),
        )
        .toBe(2);
      await dialog.getByLabel(/^Target node/).selectOption(idOf(nodeB()));
      await dialog.getByLabel(/^Grace period/).fill("0.5");
      expect(await overflowsHorizontally(page)).toBe(false);
      await dialog.getByRole("button", { name: "Move peer" }).click();

      const result = dialog.getByTestId("move-result");
      await result.waitFor();
      const moved = await getPeer(peer.id);
      expect(moved.node).toBe(idOf(nodeB()));
      expect(moved.publicKey).toBe(peer.publicKey);
      const config = (await dialog.getByTestId("moved-config").textContent()) ?? "";
      expect(config).toContain(`Address = ${moved.addresses[0]}`);
      expect(config).toContain(nodeB().endpoint(LISTEN_PORT));
      expect(await result.getByRole("status").textContent()).toContain(moved.addresses[0]);
      await expect
        .poll(() =>
          dialog
            .getByTestId("moved-qr")
            .evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
        )
        .toBeGreaterThan(0);
      // Half an hour of grace: both nodes hold the peer now.
      expect(await liveKeys(nodeB())).toContain(peer.publicKey);
      expect(await liveKeys(nodeA())).toContain(peer.publicKey);
      expect(await overflowsHorizontally(page)).toBe(false);
      await screenshot(page, `move-dialog-${viewport.width}`);
      await dialog.getByRole("button", { name: "Close" }).last().click();
      await dialog.waitFor({ state: "hidden" });
      await expect
        .poll(() => page.getByTestId("peer-addresses").textContent())
        .toBe(moved.addresses.join(", "));
      noErrors(`move at ${viewport.width} px`);
    });

    it(`at ${viewport.width} px: Drain shows the plan, runs to Finished, and the node stays draining until ended`, async () => {
      await page.setViewportSize(viewport);
      const peers = [
        await addPeer(`drain-${viewport.width}-1`, nodeA()),
        await addPeer(`drain-${viewport.width}-2`, nodeA()),
      ];
      await page.goto(url(`/nodes/${idOf(nodeA())}`));
      await page.getByRole("heading", { name: nodeA().name }).waitFor();
      await page.getByTestId("drain-node").click();
      const dialog = page.getByRole("dialog", { name: `Drain node ${nodeA().name}` });
      await dialog.waitFor();
      await dialog.getByLabel(/^Grace period/).fill("0");
      await dialog.getByTestId("drain-plan").click();
      const table = dialog.getByTestId("drain-plan-table");
      await table.waitFor();
      // The peers of node A: these two, and none left from the Move rows (they went to B).
      const names = await table.locator("tbody tr td:first-child").allTextContents();
      expect(names.sort()).toEqual(peers.map((p) => p.name).sort());
      expect(await table.locator("tbody").textContent()).toContain(nodeB().name);
      expect(await overflowsHorizontally(page)).toBe(false);
      await screenshot(page, `drain-plan-${viewport.width}`);

      await dialog.getByTestId("drain-start").click();
      const progress = dialog.getByTestId("drain-progress");
      await expect.poll(() => progress.getAttribute("data-status"), { timeout: 30_000 }).toBe("done");
      expect(await progress.textContent()).toContain("2 of 2 done, 0 failed");
      for (const peer of peers) expect((await getPeer(peer.id)).node).toBe(idOf(nodeB()));
      await expect.poll(() => liveKeys(nodeA())).not.toContain(peers[0]?.publicKey);
      await screenshot(page, `drain-done-${viewport.width}`);
      await dialog.getByRole("button", { name: "Close" }).last().click();
      await dialog.waitFor({ state: "hidden" });

      await page.getByTestId("node-draining").waitFor();
      await page.getByTestId("end-draining").click();
      await page.getByTestId("node-draining").waitFor({ state: "hidden" });
      const node = (await fleet().api.expect<{ draining: boolean }>("GET", `/api/v1/nodes/${idOf(nodeA())}`))
        .json;
      expect(node.draining).toBe(false);
      noErrors(`drain at ${viewport.width} px`);
    });
  }
});
