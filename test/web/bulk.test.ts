// Bulk peers in the web app (issue 15), in a real Chromium against a real dashboard and two real agents,
// at 1280 px and 390 px: Create many makes 5 peers whose rows appear (with the expiry, quota and
// description given); two selected are disabled and enabled again in one bulk call each, as the API and
// the live interfaces show; one is moved to the other node (Move to node…); the configuration's peers
// export as a CSV file that imports into another configuration; a bad CSV lists its bad lines (line,
// field, message) and creates nothing. Any console error fails (a refused import's 400 is the test's).
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
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
const SOURCE = "wbulk";
const TARGET = "wbulk2";
const PLACES = [
  { name: SOURCE, k: 0, listenPort: 51830, pools: ["198.51.100.0/25", "198.51.100.128/25"] },
  { name: TARGET, k: 1, listenPort: 51831, pools: ["203.0.113.0/25", "203.0.113.128/25"] },
] as const;
const VIEWPORTS = [
  { width: 1280, height: 900 },
  { width: 390, height: 844 },
] as const;
const GiB = 1024 ** 3;

interface ApiPeer {
  id: string;
  name: string;
  node: string;
  enabled: boolean;
  publicKey: string;
  description: string | null;
  expiresAt: string | null;
  quota: { bytes: number } | null;
}

describe.skipIf(skip)("bulk peers: create many, bulk actions, move, CSV (browser)", () => {
  const fleet = useFleet({
    nodes: 2,
    prefix: "wb",
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

  async function peersOf(configuration: string): Promise<ApiPeer[]> {
    const path = `/api/v1/configurations/${configuration}/peers?limit=500`;
    return (await fleet().api.expect<{ items: ApiPeer[] }>("GET", path)).json.items;
  }

  async function liveKeys(node: FleetNode, k: number): Promise<string[]> {
    const { stdout } = await node.ns.exec("wg", ["show", node.interfaceName(k), "peers"]);
    return stdout.split("\n").filter(Boolean);
  }

  function row(name: string): Locator {
    return page
      .getByTestId("peer-row")
      .filter({ has: page.getByTestId("peer-link").getByText(name, { exact: true }) });
  }

  async function openConfiguration(name: string): Promise<void> {
    await page.goto(url(`/configurations/${name}`));
    await page.getByRole("heading", { name, level: 1 }).waitFor();
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
    for (const place of PLACES) {
      await f.api.expect("POST", "/api/v1/configurations", {
        name: place.name,
        clientAllowedIps: ["198.51.100.0/24", "203.0.113.0/24"],
      });
      for (const [i, node] of [nodeA(), nodeB()].entries()) {
        await f.api.expect(
          "POST",
          `/api/v1/configurations/${place.name}/interfaces`,
          {
            nodeId: idOf(node),
            listenPort: place.listenPort,
            pool: place.pools[i],
            interfaceName: node.interfaceName(place.k),
          },
          [201],
        );
      }
    }
    browser = await launchChromium();
    context = await browser.newContext({ viewport: VIEWPORTS[0], acceptDownloads: true });
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
    const prefix = `w${viewport.width}`;
    const names = [1, 2, 3, 4, 5].map((i) => `${prefix}-00${i}`);

    it(`at ${viewport.width} px: Create many makes 5 peers, every field applied, and their rows appear`, async () => {
      await page.setViewportSize(viewport);
      await openConfiguration(SOURCE);
      await page.getByTestId("create-many").click();
      const dialog = page.getByRole("dialog", { name: "Create many peers" });
      await dialog.waitFor();
      await dialog.getByLabel(/^Number of peers/).fill("5");
      await dialog.getByLabel(/^Name prefix/).fill(prefix);
      await expect.poll(() => dialog.getByTestId("node-select").locator("option").count()).toBeGreaterThan(2);
      await dialog.getByTestId("node-select").selectOption(idOf(nodeA()));
      await dialog.getByLabel(/^Description/).fill("made in bulk");
      await dialog.getByLabel(/^Expires/).fill("2031-06-30");
      await dialog.getByLabel(/^Budget/).fill("2");
      expect(await overflowsHorizontally(page)).toBe(false);
      await screenshot(page, `bulk-create-many-${viewport.width}`);
      await dialog.getByTestId("create-many-submit").click();
      const result = dialog.getByTestId("create-many-result");
      await result.waitFor({ timeout: 30_000 });
      expect(await result.getByRole("status").textContent()).toBe("Created 5 peers.");
      expect(await result.getByTestId("create-many-failures").count()).toBe(0);
      await result.getByRole("button", { name: "Close" }).click();
      await dialog.waitFor({ state: "hidden" });

      await page.getByTestId("peer-search").fill(prefix);
      await expect.poll(() => page.getByTestId("peer-link").allTextContents()).toEqual(names);
      const made = (await peersOf(SOURCE)).filter((p) => p.name.startsWith(`${prefix}-`));
      expect(made.map((p) => p.name).sort()).toEqual(names);
      for (const peer of made) {
        expect(peer.node).toBe(idOf(nodeA()));
        expect(peer.description).toBe("made in bulk");
        expect(peer.expiresAt?.slice(0, 7)).toBe("2031-06");
        expect(peer.quota?.bytes).toBe(2 * GiB);
      }
      await expect
        .poll(() => liveKeys(nodeA(), 0))
        .toEqual(expect.arrayContaining(made.map((p) => p.publicKey)));
      noErrors(`create many at ${viewport.width} px`);
    });

    it(`at ${viewport.width} px: two selected peers are disabled and enabled in one bulk call each`, async () => {
      await page.setViewportSize(viewport);
      await openConfiguration(SOURCE);
      await page.getByTestId("peer-search").fill(prefix);
      const chosen = names.slice(0, 2);
      for (const name of chosen) await row(name).getByTestId("peer-select").check();
      await expect.poll(() => page.getByTestId("bulk-count").textContent()).toBe("2 peers selected");
      const bulkCalls: string[] = [];
      page.on("request", (request) => {
        if (request.url().endsWith("/api/v1/peers/bulk")) bulkCalls.push(request.postData() ?? "");
      });

      await page.getByTestId("bulk-disable").click();
      await expect.poll(() => page.getByTestId("bulk-summary").textContent()).toContain("Disabled 2 peers.");
      let byName = new Map((await peersOf(SOURCE)).map((p) => [p.name, p]));
      expect(names.map((n) => byName.get(n)?.enabled)).toEqual([false, false, true, true, true]);
      const keys = chosen.map((n) => byName.get(n)?.publicKey ?? "");
      await expect.poll(() => liveKeys(nodeA(), 0)).not.toContain(keys[0]);
      expect(await liveKeys(nodeA(), 0)).not.toContain(keys[1]);
      await expect
        .poll(() =>
          row(chosen[0] as string)
            .getByTestId("status")
            .textContent(),
        )
        .toContain("disabled");
      expect(await overflowsHorizontally(page)).toBe(false);
      await screenshot(page, `bulk-disabled-${viewport.width}`);

      await page.getByTestId("bulk-enable").click();
      await expect.poll(() => page.getByTestId("bulk-summary").textContent()).toContain("Enabled 2 peers.");
      byName = new Map((await peersOf(SOURCE)).map((p) => [p.name, p]));
      expect(names.map((n) => byName.get(n)?.enabled)).toEqual([true, true, true, true, true]);
      await expect.poll(() => liveKeys(nodeA(), 0)).toEqual(expect.arrayContaining(keys));
      // One request per action, with both ids.
      expect(bulkCalls).toHaveLength(2);
      for (const body of bulkCalls)
        expect([...(JSON.parse(body) as { ids: string[] }).ids].sort()).toEqual(
          chosen.map((n) => byName.get(n)?.id).sort(),
        );
      await page.getByTestId("bulk-clear").click();
      noErrors(`bulk disable and enable at ${viewport.width} px`);
    });

    it(`at ${viewport.width} px: Move to node… moves the selected peer to the other node`, async () => {
      await page.setViewportSize(viewport);
      await openConfiguration(SOURCE);
      await page.getByTestId("peer-search").fill(prefix);
      const name = names[2] as string;
      await row(name).getByTestId("peer-select").check();
      await page.getByTestId("bulk-move").click();
      const dialog = page.getByRole("dialog", { name: "Move 1 peer to another node" });
      await dialog.waitFor();
      await expect
        .poll(() =>
          dialog
            .getByLabel(/^Target node/)
            .locator("option")
            .count(),
        )
        .toBe(3);
      await dialog.getByLabel(/^Target node/).selectOption(idOf(nodeB()));
      await dialog.getByLabel(/^Grace period/).fill("0");
      expect(await overflowsHorizontally(page)).toBe(false);
      await screenshot(page, `bulk-move-${viewport.width}`);
      await dialog.getByTestId("bulk-move-submit").click();
      await dialog.waitFor({ state: "hidden", timeout: 30_000 });
      await expect.poll(() => page.getByTestId("bulk-summary").textContent()).toContain("Moved 1 peer.");
      const moved = (await peersOf(SOURCE)).find((p) => p.name === name);
      expect(moved?.node).toBe(idOf(nodeB()));
      await expect.poll(() => liveKeys(nodeB(), 0)).toContain(moved?.publicKey);
      await expect.poll(() => liveKeys(nodeA(), 0)).not.toContain(moved?.publicKey);
      await page.getByTestId("bulk-clear").click();
      noErrors(`bulk move at ${viewport.width} px`);
    });
  }

  it("exports the peers as CSV, imports the file into another configuration, and lists a bad file's lines", async () => {
    await page.setViewportSize(VIEWPORTS[0]);
    await openConfiguration(SOURCE);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("export-csv").click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${SOURCE}-peers.csv`);
    const text = await readFile((await download.path()) as string, "utf8");
    const lines = text.trim().split(/\r?\n/);
    expect(lines[0]).toBe("name,addresses,publicKey,expiresAt,quotaBytes,enabled,node");
    const source = await peersOf(SOURCE);
    expect(lines).toHaveLength(source.length + 1);
    for (const peer of source) expect(text).toContain(`${peer.name},`);

    // The target has other pools: the addresses go (as docs/bulk.md says), names, keys and nodes stay.
    const withoutAddresses = lines.map((line) =>
      line
        .split(",")
        .filter((_, i) => i !== 1)
        .join(","),
    );
    await openConfiguration(TARGET);
    await page.getByTestId("import-csv").click();
    const dialog = page.getByRole("dialog", { name: "Import peers from CSV" });
    await dialog.waitFor();
    await dialog.getByTestId("csv-file").setInputFiles({
      name: `${SOURCE}-peers.csv`,
      mimeType: "text/csv",
      buffer: Buffer.from(withoutAddresses.join("\n")),
    });
    await expect.poll(() => dialog.getByLabel(/^CSV text/).inputValue()).toContain(source[0]?.name ?? "?");
    await dialog.getByTestId("import-csv-submit").click();
    const result = dialog.getByTestId("import-csv-result");
    await result.waitFor({ timeout: 30_000 });
    expect(await result.getByRole("status").textContent()).toBe(`Created ${source.length} peers.`);
    await result.getByRole("button", { name: "Close" }).click();
    await dialog.waitFor({ state: "hidden" });
    const target = await peersOf(TARGET);
    expect(target.map((p) => [p.name, p.publicKey, p.node]).sort()).toEqual(
      source.map((p) => [p.name, p.publicKey, p.node]).sort(),
    );
    await expect.poll(() => page.getByTestId("peer-link").count()).toBe(source.length);
    noErrors("CSV export and import");

    // A bad file, pasted: every bad line listed with its field and reason, nothing created.
    await page.setViewportSize(VIEWPORTS[1]);
    await page.getByTestId("import-csv").click();
    await dialog.waitFor();
    const bad = [
      "name,expiresAt,quotaBytes",
      "csv-good,2099-01-01,1000",
      "csv-bad-date,2099-02-30,",
      "csv-bad-quota,,-5",
    ];
    await dialog.getByLabel(/^CSV text/).fill(bad.join("\n"));
    await dialog.getByTestId("import-csv-submit").click();
    const table = dialog.getByTestId("csv-row-errors");
    await table.waitFor({ timeout: 10_000 });
    const cells = await dialog
      .getByTestId("csv-row-error")
      .evaluateAll((rows) =>
        rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent?.trim())),
      );
    expect(cells.map(([line, field]) => [line, field])).toEqual([
      ["3", "expiresAt"],
      ["4", "quotaBytes"],
    ]);
    for (const [, , message] of cells) expect(message).toMatch(/\S/);
    const field = dialog.locator(".field").filter({ has: page.getByLabel(/^CSV text/) });
    expect(await field.getByRole("alert").textContent()).toContain("2 rows refused");
    expect(await dialog.getByLabel(/^CSV text/).getAttribute("aria-invalid")).toBe("true");
    expect(await overflowsHorizontally(page)).toBe(false);
    await screenshot(page, "bulk-import-errors-390");
    expect((await peersOf(TARGET)).length).toBe(target.length);
    // The refused request (400) is the browser's own log line, and the only one.
    expect(errors.take().filter((e) => !/status of 400/.test(e))).toEqual([]);
    await page.keyboard.press("Escape");
  });
});
