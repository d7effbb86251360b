// Every page and every dialog of the web app, at desktop (1280×800) and phone (390×844) width, in the
// light and the dark theme (the traffic charts also in another range than their first): each is opened
// as a person would (by its link or button), photographed under test-output/screenshots/tour/, and must
// log no console error. At phone width no page scrolls sideways and every dialog's buttons (and the
// chart's range buttons) are inside the viewport.

import { randomBytes } from "node:crypto";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
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

const SIZES = [
  { label: "desktop", width: 1280, height: 800 },
  { label: "phone", width: 390, height: 844 },
] as const;
const THEMES = ["light", "dark"] as const;

interface Stop {
  /** The screenshot's name (page or dialog). */
  name: string;
  path: string | ((ids: TourIds) => string);
  /** Opens the dialog on that page; none for a page alone. */
  open?: (page: Page) => Promise<Locator>;
}

interface TourIds {
  configuration: string;
  peerId: string;
  /** A remote node whose agent never answers (its pages and dialogs need no agent). */
  remoteNodeId: string;
}

function button(name: string | RegExp, testId?: string): (page: Page) => Promise<Locator> {
  return async (page) => {
    const opener = testId ? page.getByTestId(testId).first() : page.getByRole("button", { name }).first();
    await opener.click();
    const dialog = page.getByRole("dialog").filter({ visible: true }).last();
    await dialog.waitFor();
    return dialog;
  };
}

/** Switches the traffic chart on the page to another range; its buttons are checked like a dialog's. */
function trafficRange(range: string): (page: Page) => Promise<Locator> {
  return async (page) => {
    const chart = page.getByTestId("traffic-chart");
    await chart.locator(`button[data-range="${range}"]`).click();
    await chart.and(page.locator(`[data-range="${range}"]:not([data-state="loading"])`)).waitFor();
    return chart;
  };
}

const STOPS: Stop[] = [
  { name: "overview", path: "/" },
  { name: "overview-traffic-week", path: "/", open: trafficRange("week") },
  { name: "configurations", path: "/configurations" },
  { name: "new-configuration", path: "/configurations", open: button("", "new-configuration") },
  { name: "configuration", path: (ids) => `/configurations/${ids.configuration}` },
  { name: "add-peer", path: (ids) => `/configurations/${ids.configuration}`, open: button("", "add-peer") },
  {
    name: "add-interface",
    path: (ids) => `/configurations/${ids.configuration}`,
    open: button("", "add-interface"),
  },
  {
    name: "edit-configuration",
    path: (ids) => `/configurations/${ids.configuration}`,
    open: button("", "edit-configuration"),
  },
  {
    name: "delete-configuration",
    path: (ids) => `/configurations/${ids.configuration}`,
    open: button(/^Delete$/),
  },
  {
    name: "edit-interface",
    path: (ids) => `/configurations/${ids.configuration}`,
    open: button("", "edit-interface"),
  },
  { name: "row-qr", path: (ids) => `/configurations/${ids.configuration}`, open: button("", "row-qr") },
  {
    name: "bulk-delete",
    path: (ids) => `/configurations/${ids.configuration}`,
    open: async (page) => {
      await page.getByTestId("select-all").first().check();
      return button("", "bulk-delete")(page);
    },
  },
  {
    name: "bulk-move",
    path: (ids) => `/configurations/${ids.configuration}`,
    open: async (page) => {
      await page.getByTestId("select-all").first().check();
      return button("", "bulk-move")(page);
    },
  },
  {
    name: "create-many",
    path: (ids) => `/configurations/${ids.configuration}`,
    open: button("", "create-many"),
  },
  {
    name: "import-csv",
    path: (ids) => `/configurations/${ids.configuration}`,
    open: button("", "import-csv"),
  },
  { name: "peer", path: (ids) => `/peers/${ids.peerId}` },
  { name: "peer-traffic-year", path: (ids) => `/peers/${ids.peerId}`, open: trafficRange("year") },
  { name: "peer-qr", path: (ids) => `/peers/${ids.peerId}`, open: button("", "show-qr") },
  { name: "edit-peer", path: (ids) => `/peers/${ids.peerId}`, open: button("", "edit-peer") },
  { name: "delete-peer", path: (ids) => `/peers/${ids.peerId}`, open: button("", "delete-peer") },
  { name: "nodes", path: "/nodes" },
  { name: "add-node", path: "/nodes", open: button("", "add-node") },
  { name: "join-token", path: "/nodes", open: button("", "join-token") },
  {
    name: "join-token-created",
    path: "/nodes",
    open: async (page) => {
      const dialog = await button("", "join-token")(page);
      await dialog.getByLabel(/^Name/).fill("tour-node");
      await dialog.getByRole("button", { name: "Create token" }).click();
      await dialog.getByTestId("new-join-token").waitFor();
      return dialog;
    },
  },
  { name: "node-local", path: "/nodes/local" },
  { name: "edit-node-local", path: "/nodes/local", open: button("", "edit-local-node") },
  { name: "public-address", path: "/", open: button("", "set-public-address") },
  { name: "node-remote", path: (ids) => `/nodes/${ids.remoteNodeId}` },
  { name: "edit-node-remote", path: (ids) => `/nodes/${ids.remoteNodeId}`, open: button("", "edit-node") },
  { name: "test-node-remote", path: (ids) => `/nodes/${ids.remoteNodeId}`, open: button("", "test-node") },
  {
    name: "delete-node-remote",
    path: (ids) => `/nodes/${ids.remoteNodeId}`,
    open: button("", "delete-node"),
  },
  { name: "alerts", path: "/alerts" },
  { name: "settings", path: "/settings" },
  { name: "not-found", path: "/no-such-page" },
];

/** Whether each visible button of the dialog lies wholly inside the viewport (once scrolled to). */
async function buttonsOutOfView(page: Page, dialog: Locator): Promise<string[]> {
  const viewport = page.viewportSize();
  if (!viewport) return [];
  const outside: string[] = [];
  for (const action of await dialog.getByRole("button").filter({ visible: true }).all()) {
    await action.scrollIntoViewIfNeeded();
    const box = await action.boundingBox();
    if (
      !box ||
      box.x < 0 ||
      box.y < 0 ||
      box.x + box.width > viewport.width + 1 ||
      box.y + box.height > viewport.height + 1
    )
      outside.push((await action.textContent())?.trim() || (await action.getAttribute("aria-label")) || "?");
  }
  return outside;
}

describe.skipIf(skip)("screenshot tour (browser)", () => {
  let dashboard: Dashboard;
  let browser: Browser;
  const ids: TourIds = { configuration: uniqueName("tour", 12), peerId: "", remoteNodeId: "" };

  beforeAll(async () => {
    dashboard = await startDashboard("tour");
    await dashboard.admin.request("POST", "/api/v1/configurations", { name: ids.configuration });
    await dashboard.admin.request("POST", `/api/v1/configurations/${ids.configuration}/interfaces`, {
      nodeId: "local",
      listenPort: 20_000 + Math.floor(Math.random() * 40_000),
      pool: "203.0.113.0/24",
      endpoint: "vpn.example.com",
      interfaceName: uniqueName("wgt"),
    });
    for (const name of ["laptop", "phone-of-a-person-with-a-long-name"]) {
      const peer = await dashboard.admin.request<{ id: string }>(
        "POST",
        `/api/v1/configurations/${ids.configuration}/peers`,
        { name },
      );
      ids.peerId ||= peer.id;
    }
    const remote = await dashboard.admin.request<{ id: string }>("POST", "/api/v1/nodes", {
      name: "far-away-node",
      agentUrl: `http://127.0.0.1:${await freePort()}`,
      secret: randomBytes(24).toString("hex"),
      endpoint: "vpn.example.net",
    });
    ids.remoteNodeId = remote.id;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close().catch(() => {});
    if (dashboard) {
      await dashboard.admin
        .request("DELETE", `/api/v1/configurations/${ids.configuration}?force=true`)
        .catch(() => {});
      await dashboard.stop();
    }
  });

  for (const size of SIZES) {
    for (const theme of THEMES) {
      it(`every page and dialog at ${size.width} px, ${theme}`, async () => {
        const context: BrowserContext = await browser.newContext({
          viewport: { width: size.width, height: size.height },
          colorScheme: theme,
        });
        try {
          const page = await context.newPage();
          const errors: ErrorWatch = watchErrors(page);
          const suffix = `${size.label}-${theme}`;
          await page.goto(`${dashboard.url}/sign-in`);
          await page.getByLabel("Username").waitFor();
          await screenshot(page, `tour/sign-in-${suffix}`);
          await page.getByLabel("Username").fill(ADMIN_USER);
          await page.getByLabel("Password").fill(dashboard.adminPassword);
          await page.getByRole("button", { name: "Sign in" }).click();
          await page.waitForURL((url) => url.pathname === "/");
          await page.locator("main h1").first().waitFor();

          const problems: string[] = [];
          for (const stop of STOPS) {
            const path = typeof stop.path === "string" ? stop.path : stop.path(ids);
            await page.goto(`${dashboard.url}${path}`);
            await page.locator("main h1").first().waitFor();
            await page.waitForLoadState("networkidle");
            let dialog: Locator | null = null;
            if (stop.open) dialog = await stop.open(page);
            await screenshot(page, `tour/${stop.name}-${suffix}`);
            if (size.label === "phone") {
              if (await overflowsHorizontally(page)) problems.push(`${stop.name}: scrolls sideways`);
              if (dialog) {
                const outside = await buttonsOutOfView(page, dialog);
                if (outside.length > 0)
                  problems.push(`${stop.name}: buttons out of view: ${outside.join(", ")}`);
              }
            }
            for (const error of errors.take()) problems.push(`${stop.name}: ${error}`);
            if (dialog) await page.keyboard.press("Escape");
          }
          expect(problems).toEqual([]);
        } finally {
          await context.close();
        }
        // Every page and dialog, each waited to network idle: minutes on a busy 2-core machine.
      }, 240_000);
    }
  }
});
