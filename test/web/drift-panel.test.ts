// The node page's drift panel and its two dialogs in a real Chromium against a real dashboard (local
// node in a test namespace), at 1280 px and at 390 px: a stray peer added and a peer removed with `wg`
// show with since when; the policy switch saves; the Adopt dialog's field (name) is filled and the
// stray becomes a managed peer; Remove strays clears the rest; the Adopt / import dialog with every
// field filled (source, interface, configuration, file) imports a wg-quick file with WGDashboard names
// and the API lists its peers. No page scrolls sideways on the phone; any console error fails.
import type { NodeDriftDto, PeerDto } from "@wgfleet/core";
import { generateKeyPair } from "@wgfleet/core";
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
import { ADMIN_USER, type Dashboard, startDashboard, uniqueName } from "./support/dashboard.js";

const skip = missingPrerequisites([...wireguardPrerequisites(), commandPrerequisite("chromium")]);

const VIEWPORTS = [
  { label: "desktop", width: 1280, height: 900, octet: 1, pool: "198.19.91" },
  { label: "phone", width: 390, height: 844, octet: 2, pool: "198.19.92" },
] as const;

describe.skipIf(skip)("drift panel and adopt / import (browser)", () => {
  let dashboard: Dashboard;
  let browser: Browser;
  const configuration = uniqueName("dp", 12);
  const imported: string[] = [];

  const api = <T = unknown>(method: string, path: string, body?: unknown) =>
    dashboard.admin.request<T>(method, path, body);
  const wg = (args: string[]) => {
    if (!dashboard.namespace) throw new Error("no local node namespace");
    return dashboard.namespace.exec("wg", args);
  };

  beforeAll(async () => {
    dashboard = await startDashboard("drift-panel");
    await api("POST", "/api/v1/configurations", { name: configuration });
    await api("POST", `/api/v1/configurations/${configuration}/interfaces`, {
      nodeId: "local",
      listenPort: 20_000 + Math.floor(Math.random() * 40_000),
      pool: "198.51.100.0/24",
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close().catch(() => {});
    if (dashboard) {
      for (const name of [configuration, ...imported]) {
        await api("DELETE", `/api/v1/configurations/${name}/interfaces/local?force=true`).catch(() => {});
        await api("DELETE", `/api/v1/configurations/${name}?force=true`).catch(() => {});
      }
      await dashboard.stop();
    }
  });

  /** Waits (bounded) until the node's drift policy is `policy`. */
  async function policyIs(policy: string): Promise<void> {
    for (let i = 0; i < 50; i++) {
      if ((await api<NodeDriftDto>("GET", "/api/v1/nodes/local/drift")).policy === policy) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the drift policy never became ${policy}`);
  }

  async function withPage(
    viewport: { width: number; height: number },
    run: (page: Page, errors: ErrorWatch) => Promise<void>,
  ): Promise<void> {
    const context: BrowserContext = await browser.newContext({ viewport });
    try {
      const page = await context.newPage();
      const errors = watchErrors(page);
      await page.goto(`${dashboard.url}/sign-in`);
      await page.getByLabel("Username").fill(ADMIN_USER);
      await page.getByLabel("Password").fill(dashboard.adminPassword);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("heading", { name: "Overview", level: 1 }).waitFor();
      errors.take();
      page.on("dialog", (confirm) => void confirm.accept());
      await run(page, errors);
    } finally {
      await context.close().catch(() => {});
    }
  }

  for (const viewport of VIEWPORTS) {
    const wide = viewport.width > 640;
    it(`${viewport.label}: shows drift, switches the policy, adopts a stray, removes strays, imports a file`, async () => {
      const missing = await api<PeerDto>("POST", `/api/v1/configurations/${configuration}/peers`, {
        name: `missing ${viewport.label}`,
      });
      const stray = generateKeyPair();
      const other = generateKeyPair();
      await wg([
        "set",
        configuration,
        "peer",
        stray.publicKey,
        "allowed-ips",
        `198.51.100.${200 + viewport.octet}/32`,
      ]);
      await wg([
        "set",
        configuration,
        "peer",
        other.publicKey,
        "allowed-ips",
        `198.51.100.${210 + viewport.octet}/32`,
      ]);
      await wg(["set", configuration, "peer", missing.publicKey, "remove"]);

      const before = await api<NodeDriftDto>("GET", "/api/v1/nodes/local/drift");
      expect(before.strayPeers.map((p) => p.publicKey).sort()).toEqual(
        [stray.publicKey, other.publicKey].sort(),
      );
      expect(before.missingPeers.map((p) => p.publicKey)).toEqual([missing.publicKey]);

      await withPage(viewport, async (page, errors) => {
        await page.goto(`${dashboard.url}/nodes/local`);
        const panel = page.getByTestId("drift-panel");
        await panel.getByTestId("drift-stray-peers").waitFor();
        await panel.getByTestId("drift-missing-peers").getByText(missing.name).waitFor();
        expect(await unlabelledControls(page)).toEqual([]);
        if (!wide) expect(await overflowsHorizontally(page), "the node page scrolls sideways").toBe(false);
        await screenshot(page, `drift-panel-${viewport.label}`);

        await panel.getByLabel("Drift policy").selectOption("report");
        await page.getByText("Drift policy saved.").waitFor();
        await policyIs("report");

        // Adopt the first stray through its dialog (its one field: the name).
        const row = panel
          .getByTestId("drift-stray-peers")
          .locator("tr", { hasText: stray.publicKey.slice(0, 8) });
        await row.getByTestId("drift-adopt").click();
        const dialog = page.getByRole("dialog");
        expect(await unlabelledControls(page)).toEqual([]);
        await dialog.getByLabel("Name").fill(`found ${viewport.label}`);
        if (!wide) expect(await overflowsHorizontally(page), "the adopt dialog scrolls sideways").toBe(false);
        await dialog.getByRole("button", { name: "Adopt" }).click();
        await page.getByText(`Peer found ${viewport.label} adopted.`).waitFor();
        const peers = await api<{ items: PeerDto[] }>(
          "GET",
          `/api/v1/configurations/${configuration}/peers?limit=500`,
        );
        const adopted = peers.items.find((p) => p.publicKey === stray.publicKey);
        expect(adopted).toMatchObject({
          name: `found ${viewport.label}`,
          addresses: [`198.51.100.${200 + viewport.octet}/32`],
        });

        await panel.getByTestId("drift-remove-strays").click();
        await page.getByText("1 stray peers removed.").waitFor();
        const live = (await wg(["show", configuration, "allowed-ips"])).stdout;
        expect(live).not.toContain(other.publicKey);
        expect(live).toContain(stray.publicKey);

        await panel.getByTestId("drift-reconcile").click();
        await page.getByText("Node reconciled.").waitFor();
        await panel.getByTestId("drift-in-sync").waitFor();
        expect((await wg(["show", configuration, "allowed-ips"])).stdout).toContain(missing.publicKey);

        // Adopt / import with every field: source, interface, configuration, file.
        const target = uniqueName("di", 12);
        imported.push(target);
        await api("POST", "/api/v1/configurations", { name: target });
        const server = generateKeyPair();
        const phone = generateKeyPair();
        const file = [
          "[Interface]",
          `PrivateKey = ${server.privateKey}`,
          `Address = ${viewport.pool}.1/24`,
          `ListenPort = ${21_000 + viewport.octet}`,
          "",
          "[Peer]",
          "#Name# = old phone",
          `PublicKey = ${phone.publicKey}`,
          `AllowedIPs = ${viewport.pool}.7/32`,
          "",
        ].join("\n");
        await panel.getByTestId("drift-import").click();
        const importDialog = page.getByRole("dialog");
        await importDialog.getByLabel("A wg-quick file").check();
        await importDialog.getByLabel("Interface", { exact: true }).fill(target);
        await importDialog.getByLabel("Configuration", { exact: true }).selectOption(target);
        await importDialog.getByLabel(/^wg-quick file/).fill(file);
        expect(await unlabelledControls(page)).toEqual([]);
        if (!wide)
          expect(await overflowsHorizontally(page), "the import dialog scrolls sideways").toBe(false);
        await screenshot(page, `adopt-import-dialog-${viewport.label}`);
        await importDialog.getByRole("button", { name: "Adopt" }).click();
        await page.getByText(`1 peers of ${target} are now managed in ${target}.`).waitFor();
        const importedPeers = await api<{ items: PeerDto[] }>(
          "GET",
          `/api/v1/configurations/${target}/peers`,
        );
        expect(importedPeers.items.map((p) => [p.name, p.publicKey, p.addresses])).toEqual([
          ["old phone", phone.publicKey, [`${viewport.pool}.7/32`]],
        ]);
        expect((await wg(["show", target, "public-key"])).stdout.trim()).toBe(server.publicKey);

        await panel.getByLabel("Drift policy").selectOption("repair");
        // The first switch's toast may still show: the API says when this one went through.
        await policyIs("repair");
        expect(errors.take()).toEqual([]);
      });
    }, 120_000);
  }
});
