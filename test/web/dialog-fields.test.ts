// Every field of every dialog and form in the web app, in a real Chromium against a real dashboard
// (local node in a test namespace), driven by one table: for each field a valid value of its type is
// filled, saved, and read back through the API; and (where the browser lets a person type something
// wrong) an invalid value, whose sentence must appear next to THAT field while nothing changes.
// Number fields (keepalive, MTU, listen port, weight, max peers) are the reason this exists: `v-model`
// gives numbers for <input type="number">, and forms that called .trim() on them broke. Any console
// error fails a valid row; an invalid row may only log the refused request (4xx) the browser reports.
// Phones (390 px) are covered elsewhere; this runs at 1280 px.

import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandPrerequisite, missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import { type ErrorWatch, launchChromium, screenshot, watchErrors } from "./support/browser.js";
import { ApiSession, type Dashboard, freePort, startDashboard, uniqueName } from "./support/dashboard.js";

const skip = missingPrerequisites([...wireguardPrerequisites(), commandPrerequisite("chromium")]);

type Json = Record<string, unknown>;
type DialogName =
  | "New configuration"
  | "Edit configuration"
  | "Add interface"
  | "Add peer"
  | "Create many"
  | "Import CSV"
  | "Edit peer"
  | "Share link"
  | "Add node"
  | "Add node that dials out"
  | "Edit node"
  | "Change password"
  | "New API key"
  | "Join token"
  | "Add user"
  | "Set user password";

/** One field: how to fill it, what the API must hold after a save, what a wrong value must say. */
interface FieldRow {
  dialog: DialogName;
  /** The field's label (its accessible name starts with this). */
  label: RegExp;
  control?: "fill" | "select";
  valid: string;
  /** Reads the saved value back through the API; `run.name` names what the row created. */
  readBack: (run: Run) => Promise<unknown>;
  expected: unknown;
  /** Something a person can type that the server (or the form) refuses, and the sentence it shows. */
  invalid?: string;
  message?: RegExp;
  /** Done in the open dialog before the field is filled (a radio or checkbox that reveals it). */
  reveal?: (dialog: Locator) => Promise<void>;
}

interface Run {
  /** The name of the thing the row creates (a configuration, peer, node or user). */
  name: string;
}

/** How to open a dialog, fill what it needs besides the row's field, save it, and see what changed. */
interface DialogDriver {
  open(run: Run): Promise<Locator>;
  /** The fields the dialog needs besides the row's own (skipped when the row is that field). */
  required(run: Run): Array<[RegExp, string]>;
  submit: RegExp;
  /** Resolves once the save went through. */
  saved(dialog: Locator): Promise<void>;
  /** What the API holds that a refused save must leave alone. */
  state(run: Run): Promise<unknown>;
  /** Removes what the row made (or the API-made fixture the row needed). */
  cleanup?(run: Run): Promise<void>;
  /** The name of the thing a row creates; rows on an existing thing keep its name. */
  name?(row: FieldRow): string;
}

const MTU_RANGE = /^Enter a whole number from 1,280 to 9,000\.$/;
const KEEPALIVE_RANGE = /^Enter a whole number from 0 to 65,535\.$/;
const COUNT_RANGE = /^Enter a whole number from 1 to 1,000,000\.$/;
const PASSWORD_LENGTH = /^Use at least 8 characters\.$/;
const PLAIN_TEXT = /^Use a single line without control characters\.$/;
const BAD_KEY = "not-a-key";
const GiB = 1024 ** 3;
/** The quota's own check of the amount (no request: the API would only see bytes). */
const AMOUNT_SENTENCE = /^Enter a positive amount, for example 1\.5\.$/;
/** A quota field needs an amount to be sent at all. */
const withBudget = (dialog: Locator) => dialog.getByLabel(/^Budget/).fill("1");
const KEY_SENTENCE = /^Must be a WireGuard key: base64 of exactly 32 bytes \(44 characters ending in "="\)/;
// A client's own key and preshared key, as `wg genkey | wg pubkey` and `wg genpsk` print them.
const CLIENT_PUBLIC_KEY = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";
const OWN_PRESHARED_KEY = "FpCyhws9cxwWoV4xELtfJvjJN+zQVRPISllRWgeopVE=";

describe.skipIf(skip)("every dialog field saves, and says what is wrong next to it (browser)", () => {
  let dashboard: Dashboard;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: ErrorWatch;
  const base = uniqueName("dfb", 10);
  const editPeerName = "df edit me";
  let editPeerId = "";
  let editNodeId = "";
  const formsUser = { username: "dfadmin", password: "dfadmin-first-1" };
  const resetUser = "dfreset";
  const created: string[] = [];

  const api = <T = Json>(method: string, path: string, body?: unknown) =>
    dashboard.admin.request<T>(method, path, body);
  const configuration = (name: string) => api(`GET`, `/api/v1/configurations/${encodeURIComponent(name)}`);
  async function peerNamed(name: string): Promise<Json | undefined> {
    const answer = await api<{ items: Json[] }>(
      "GET",
      `/api/v1/configurations/${base}/peers?search=${encodeURIComponent(name)}`,
    );
    return answer.items.find((p) => p.name === name);
  }
  const editPeer = () => api("GET", `/api/v1/peers/${editPeerId}`);
  const nodes = async () => (await api<{ items: Json[] }>("GET", "/api/v1/nodes")).items;
  const nodeNamed = async (name: string) => (await nodes()).find((n) => n.name === name);
  const editNode = async () => (await nodes()).find((n) => n.id === editNodeId);
  const users = async () => (await api<{ items: Json[] }>("GET", "/api/v1/users")).items;
  const userNamed = async (name: string) => (await users()).find((u) => u.username === name);
  async function signsIn(username: string, password: string): Promise<boolean> {
    return ApiSession.login(dashboard.url, username, password).then(
      () => true,
      () => false,
    );
  }
  const pick = (value: unknown, key: string): unknown => (value as Json | undefined)?.[key];
  const apiKeyNamed = async (name: string) =>
    (await api<{ items: Json[] }>("GET", "/api/v1/apikeys")).items.find((k) => k.name === name);
  const joinTokens = async () => (await api<{ items: Json[] }>("GET", "/api/v1/join-tokens")).items;
  const joinTokenNamed = async (name: string) => (await joinTokens()).find((t) => t.name === name);
  /** Minutes from a join token's making to its end. */
  const lifetimeOf = (token: Json | undefined) =>
    Math.round((Date.parse(String(token?.expiresAt)) - Date.parse(String(token?.createdAt))) / 60_000);

  async function putOnLocal(name: string, pool: string): Promise<void> {
    await api("POST", `/api/v1/configurations/${name}/interfaces`, {
      nodeId: "local",
      listenPort: 20_000 + Math.floor(Math.random() * 40_000),
      pool,
    });
  }

  async function goto(path: string, heading: string | RegExp): Promise<void> {
    await page.goto(`${dashboard.url}${path}`);
    await page.getByRole("heading", { name: heading, level: 1 }).waitFor();
  }

  /** The one open dialog (closed <dialog> elements are hidden). */
  const openDialog = () => page.getByRole("dialog");
  /** The edit peer's newest share link: hours it works and whether it is one-time. */
  const newestShareLink = async () => {
    const links = await api<{ items: Json[] }>("GET", `/api/v1/peers/${editPeerId}/shares`);
    const link = links.items[0] ?? {};
    const hours = (Date.parse(String(link.expiresAt)) - Date.parse(String(link.createdAt))) / 3_600_000;
    return { hours: Math.round(hours), oneTime: link.oneTime };
  };
  const dialogClosed = (dialog: Locator) => dialog.waitFor({ state: "hidden", timeout: 10_000 });

  let password = formsUser.password;
  const SECOND_PASSWORD = "dfadmin-second-2";
  /** The password a Change password row leaves: its own value in the New password row. */
  const newPasswordOf = (row: FieldRow) =>
    row.label.source === "^New password$" ? row.valid : SECOND_PASSWORD;

  const DIALOGS: Record<DialogName, DialogDriver> = {
    "New configuration": {
      async open() {
        await goto("/configurations", "Configurations");
        await page.getByTestId("new-configuration").click();
        return page.getByRole("dialog", { name: "New configuration" });
      },
      required: (run) => [[/^Name/, run.name]],
      submit: /^Create configuration$/,
      saved: (dialog) => dialogClosed(dialog),
      state: async () =>
        (await api<{ items: Json[] }>("GET", "/api/v1/configurations")).items.map((c) => c.name),
      async cleanup(run) {
        await api("DELETE", `/api/v1/configurations/${run.name}?force=true`).catch(() => {});
      },
    },
    "Edit configuration": {
      async open() {
        await goto(`/configurations/${base}`, base);
        await page.getByTestId("edit-configuration").click();
        return page.getByRole("dialog", { name: `Edit ${base}` });
      },
      required: () => [],
      submit: /^Save$/,
      saved: (dialog) => dialogClosed(dialog),
      state: () => configuration(base),
      name: () => base,
    },
    "Add interface": {
      async open(run) {
        await api("POST", "/api/v1/configurations", { name: run.name });
        await goto(`/configurations/${run.name}`, run.name);
        await page.getByTestId("add-interface").click();
        const dialog = page.getByRole("dialog", { name: `Put ${run.name} on a node` });
        await dialog.getByLabel(/^Node/).selectOption("local");
        return dialog;
      },
      required: () => [
        [/^Listen port/, String(20_000 + Math.floor(Math.random() * 40_000))],
        [/^IPv4 pool/, "203.0.113.0/24"],
      ],
      submit: /^Add interface$/,
      saved: (dialog) => dialogClosed(dialog),
      state: async (run) => pick(await configuration(run.name), "interfaces"),
      async cleanup(run) {
        await api("DELETE", `/api/v1/configurations/${run.name}?force=true`).catch(() => {});
      },
    },
    "Add peer": {
      async open() {
        await goto(`/configurations/${base}`, base);
        await page.getByTestId("add-peer").click();
        const dialog = page.getByRole("dialog", { name: "Add peer" });
        // Local, not Auto: Auto may choose the test's remote node, whose agent does not exist.
        await dialog.getByTestId("node-select").selectOption("local");
        await dialog.getByText("Advanced", { exact: true }).click();
        return dialog;
      },
      required: (run) => [[/^Name/, run.name]],
      submit: /^Create peer$/,
      saved: (dialog) => dialogClosed(dialog),
      state: async () =>
        (await api<{ total: number }>("GET", `/api/v1/configurations/${base}/peers?limit=1`)).total,
    },
    "Create many": {
      async open() {
        await goto(`/configurations/${base}`, base);
        await page.getByTestId("create-many").click();
        const dialog = page.getByRole("dialog", { name: "Create many peers" });
        // Local, not Auto: Auto may choose the test's remote node, whose agent does not exist.
        await dialog.getByTestId("node-select").selectOption("local");
        return dialog;
      },
      required: (run) => [
        [/^Number of peers/, "2"],
        [/^Name prefix/, run.name],
      ],
      submit: /^Create peers$/,
      saved: (dialog) => dialog.getByTestId("create-many-result").waitFor({ timeout: 20_000 }),
      state: async () =>
        (await api<{ total: number }>("GET", `/api/v1/configurations/${base}/peers?limit=1`)).total,
      // The prefix row's peers are named after its value; the others' after a fresh prefix.
      name: (row) => (row.label.source === "^Name prefix" ? row.valid : uniqueName("dfm", 10)),
    },
    "Import CSV": {
      async open() {
        await goto(`/configurations/${base}`, base);
        await page.getByTestId("import-csv").click();
        return page.getByRole("dialog", { name: "Import peers from CSV" });
      },
      required: () => [],
      submit: /^Import$/,
      saved: (dialog) => dialog.getByTestId("import-csv-result").waitFor({ timeout: 20_000 }),
      state: async () =>
        (await api<{ total: number }>("GET", `/api/v1/configurations/${base}/peers?limit=1`)).total,
      name: () => "df csv",
    },
    "Edit peer": {
      async open() {
        await page.goto(`${dashboard.url}/peers/${editPeerId}`);
        await page.getByTestId("edit-peer").click();
        return openDialog();
      },
      required: () => [],
      submit: /^Save$/,
      saved: (dialog) => dialogClosed(dialog),
      state: () => editPeer(),
      name: () => editPeerName,
    },
    "Share link": {
      async open() {
        await page.goto(`${dashboard.url}/peers/${editPeerId}`);
        await page.getByTestId("share-peer").click();
        return openDialog();
      },
      required: () => [],
      submit: /^Create link$/,
      saved: (dialog) => dialog.getByTestId("new-share-link").waitFor({ timeout: 10_000 }),
      state: () => api("GET", `/api/v1/peers/${editPeerId}/shares`),
      name: () => editPeerName,
    },
    "Add node": {
      async open() {
        await goto("/nodes", "Nodes");
        await page.getByTestId("add-node").click();
        return page.getByRole("dialog", { name: "Add node" });
      },
      required: (run) => [
        [/^Name/, run.name],
        [/^Agent URL/, `http://127.0.0.1:${agentPorts.shift()}`],
        [/^Shared secret/, "df-secret-".padEnd(32, "x")],
        [/^Endpoint host/, "198.18.0.61"],
      ],
      submit: /^Add node$/,
      saved: (dialog) => dialogClosed(dialog),
      state: async () => (await nodes()).map((n) => n.id),
      async cleanup(run) {
        const node = await nodeNamed(run.name);
        if (node) await api("DELETE", `/api/v1/nodes/${node.id}?force=true`).catch(() => {});
      },
    },
    // The same dialog with "the agent dials out" ticked: no agent URL, the node waits for its agent.
    get "Add node that dials out"(): DialogDriver {
      const addNode = this["Add node"];
      return {
        ...addNode,
        async open(run) {
          const dialog = await addNode.open(run);
          await dialog.getByLabel("The agent dials out").check();
          return dialog;
        },
        required: (run) => addNode.required(run).filter(([label]) => label.source !== "^Agent URL"),
      };
    },
    "Edit node": {
      async open() {
        await page.goto(`${dashboard.url}/nodes/${editNodeId}`);
        await page.getByTestId("edit-node").click();
        return openDialog();
      },
      required: () => [],
      submit: /^Save$/,
      saved: (dialog) => dialogClosed(dialog),
      state: async () => {
        const node = await editNode();
        // Health checks of the (absent) agent move these on their own.
        const { status, statusReason, lastHealth, lastSeenAt, updatedAt, ...rest } = node ?? {};
        return rest;
      },
      name: () => "dfnode",
    },
    "Change password": {
      async open() {
        await goto("/settings", "Settings");
        return page.getByTestId("password-form");
      },
      required: () => [
        [/^Current password/, password],
        [/^New password$/, SECOND_PASSWORD],
        [/^New password again/, SECOND_PASSWORD],
      ],
      submit: /^Change password$/,
      saved: (form) => form.getByText("Password changed.").waitFor({ timeout: 10_000 }),
      state: () => userNamed(formsUser.username),
      name: () => formsUser.username,
    },
    "New API key": {
      async open() {
        await goto("/settings", "Settings");
        return page.getByTestId("apikey-form");
      },
      required: (run) => [[/^New key's name/, run.name]],
      submit: /^Create key$/,
      saved: () => page.getByTestId("new-api-key").waitFor({ timeout: 10_000 }),
      state: () => api("GET", "/api/v1/apikeys"),
    },
    "Join token": {
      async open() {
        await goto("/nodes", "Nodes");
        await page.getByTestId("join-token").click();
        return page.getByRole("dialog", { name: "Join a new server" });
      },
      required: (run) => [[/^Name/, run.name]],
      submit: /^Create token$/,
      saved: (dialog) => dialog.getByTestId("new-join-token").waitFor({ timeout: 10_000 }),
      state: async () => (await joinTokens()).map((t) => t.id),
      async cleanup(run) {
        const token = await joinTokenNamed(run.name);
        if (token) await api("DELETE", `/api/v1/join-tokens/${String(token.id)}`);
      },
    },
    "Add user": {
      async open() {
        await goto("/settings", "Settings");
        await page.getByTestId("add-user").click();
        return page.getByRole("dialog", { name: "Add user" });
      },
      required: (run) => [
        [/^Username/, run.name],
        [/^First password/, "df-first-pass-1"],
      ],
      submit: /^Add user$/,
      saved: (dialog) => dialogClosed(dialog),
      state: async () => (await users()).map((u) => u.username),
      name: (row) => (row.label.source.includes("Username") ? row.valid : uniqueName("dfu", 12)),
    },
    "Set user password": {
      async open() {
        await goto("/settings", "Settings");
        const row = page.getByTestId("user-row").filter({ hasText: resetUser });
        await row.getByRole("button", { name: "Set password" }).click();
        return page.getByRole("dialog", { name: `New password for ${resetUser}` });
      },
      required: () => [],
      submit: /^Set password$/,
      saved: (dialog) => dialogClosed(dialog),
      state: () => userNamed(resetUser),
      name: () => resetUser,
    },
  };

  const ROWS: FieldRow[] = [
    // New configuration (ConfigurationDialog, creating)
    {
      dialog: "New configuration",
      label: /^Name/,
      valid: "dfnewcfg",
      readBack: async (run) => pick(await configuration(run.name), "name"),
      expected: "dfnewcfg",
      invalid: "bad name!",
      message: /^Use 1 to 15 letters, digits or _ = \+ \. - starting with a letter or digit/,
    },
    {
      dialog: "New configuration",
      label: /^Description/,
      valid: "Office VPN",
      readBack: async (run) => pick(await configuration(run.name), "description"),
      expected: "Office VPN",
      invalid: "bell \u0007 rings",
      message: PLAIN_TEXT,
    },
    {
      dialog: "New configuration",
      label: /^DNS for clients/,
      valid: "198.51.100.53, corp.example",
      readBack: async (run) => pick(await configuration(run.name), "dns"),
      expected: ["198.51.100.53", "corp.example"],
      invalid: "not a server!",
      message: /\S/,
    },
    {
      dialog: "New configuration",
      label: /^Client AllowedIPs/,
      valid: "198.51.100.0/24",
      readBack: async (run) => pick(await configuration(run.name), "clientAllowedIps"),
      expected: ["198.51.100.0/24"],
      invalid: "300.1.2.3/8",
      message: /\S/,
    },
    {
      dialog: "New configuration",
      label: /^MTU/,
      valid: "1420",
      readBack: async (run) => pick(await configuration(run.name), "mtu"),
      expected: 1420,
      invalid: "100",
      message: MTU_RANGE,
    },
    {
      dialog: "New configuration",
      label: /^Persistent keepalive/,
      valid: "25",
      readBack: async (run) => pick(await configuration(run.name), "keepalive"),
      expected: 25,
      invalid: "70000",
      message: KEEPALIVE_RANGE,
    },
    {
      dialog: "New configuration",
      label: /^Time zone/,
      control: "select",
      valid: "Asia/Tokyo",
      readBack: async (run) => pick(await configuration(run.name), "timeZone"),
      expected: "Asia/Tokyo",
    },
    // Edit configuration (ConfigurationDialog, editing)
    {
      dialog: "Edit configuration",
      label: /^Time zone/,
      control: "select",
      valid: "Europe/Berlin",
      readBack: async () => pick(await configuration(base), "timeZone"),
      expected: "Europe/Berlin",
    },
    {
      dialog: "Edit configuration",
      label: /^Description/,
      valid: "Edited description",
      readBack: async () => pick(await configuration(base), "description"),
      expected: "Edited description",
      invalid: "bell \u0007 rings",
      message: PLAIN_TEXT,
    },
    {
      dialog: "Edit configuration",
      label: /^DNS for clients/,
      valid: "198.51.100.54",
      readBack: async () => pick(await configuration(base), "dns"),
      expected: ["198.51.100.54"],
      invalid: "not a server!",
      message: /\S/,
    },
    {
      dialog: "Edit configuration",
      label: /^Client AllowedIPs/,
      valid: "198.51.100.0/24, 203.0.113.0/24",
      readBack: async () => pick(await configuration(base), "clientAllowedIps"),
      expected: ["198.51.100.0/24", "203.0.113.0/24"],
      invalid: "300.1.2.3/8",
      message: /\S/,
    },
    {
      dialog: "Edit configuration",
      label: /^MTU/,
      valid: "1380",
      readBack: async () => pick(await configuration(base), "mtu"),
      expected: 1380,
      invalid: "9001",
      message: MTU_RANGE,
    },
    {
      dialog: "Edit configuration",
      label: /^Persistent keepalive/,
      valid: "15",
      readBack: async () => pick(await configuration(base), "keepalive"),
      expected: 15,
      invalid: "70000",
      message: KEEPALIVE_RANGE,
    },
    // Add interface (InterfaceDialog)
    {
      dialog: "Add interface",
      label: /^Node/,
      control: "select",
      valid: "local",
      readBack: async (run) =>
        pick((pick(await configuration(run.name), "interfaces") as Json[])[0], "nodeId"),
      expected: "local",
    },
    {
      dialog: "Add interface",
      label: /^Listen port/,
      valid: "41234",
      readBack: async (run) =>
        pick((pick(await configuration(run.name), "interfaces") as Json[])[0], "listenPort"),
      expected: 41234,
      invalid: "70000",
      message: /^Enter a whole number from 1 to 65,535\.$/,
    },
    {
      dialog: "Add interface",
      label: /^IPv4 pool/,
      valid: "203.0.113.64/26",
      readBack: async (run) => pick((pick(await configuration(run.name), "interfaces") as Json[])[0], "pool"),
      expected: "203.0.113.64/26",
      invalid: "nope",
      message: /\S/,
    },
    {
      dialog: "Add interface",
      label: /^IPv6 pool/,
      valid: "2001:db8:df::/64",
      readBack: async (run) =>
        pick((pick(await configuration(run.name), "interfaces") as Json[])[0], "pool6"),
      expected: "2001:db8:df::/64",
      invalid: "198.19.7.0/24",
      message: /IPv6/,
    },
    {
      dialog: "Add interface",
      label: /^Endpoint for clients/,
      valid: "vpn.example.com:41235",
      readBack: async (run) =>
        pick((pick(await configuration(run.name), "interfaces") as Json[])[0], "endpoint"),
      expected: "vpn.example.com:41235",
      invalid: "bad host!:1",
      message: /\S/,
    },
    {
      dialog: "Add interface",
      label: /^Interface name/,
      valid: "dfwg9",
      readBack: async (run) => pick((pick(await configuration(run.name), "interfaces") as Json[])[0], "name"),
      expected: "dfwg9",
      invalid: "bad name",
      message: /^Use 1 to 15 letters, digits or _ = \+ \. - starting with a letter or digit/,
    },
    // Add peer (AddPeerDialog)
    {
      dialog: "Add peer",
      label: /^Name/,
      valid: "df new peer",
      readBack: async (run) => pick(await peerNamed(run.name), "name"),
      expected: "df new peer",
      // The Add peer › Name row's peer (valid rows run first), in other letters' case.
      invalid: "DF NEW PEER",
      message: /^A peer named "DF NEW PEER" already exists in this configuration\.$/,
    },
    {
      dialog: "Add peer",
      label: /^Description/,
      valid: "Ana's phone",
      readBack: async (run) => pick(await peerNamed(run.name), "description"),
      expected: "Ana's phone",
      invalid: "bell \u0007 rings",
      message: PLAIN_TEXT,
    },
    {
      dialog: "Add peer",
      label: /^Contact e-mail/,
      valid: "ana@example.org",
      readBack: async (run) => pick(await peerNamed(run.name), "contactEmail"),
      expected: "ana@example.org",
      invalid: "ana at example",
      message: /is not an e-mail address/,
    },
    {
      dialog: "Add peer",
      label: /^Node/,
      control: "select",
      valid: "local",
      readBack: async (run) => pick(await peerNamed(run.name), "node"),
      expected: "local",
    },
    {
      dialog: "Add peer",
      label: /^Address/,
      valid: "198.51.100.201",
      readBack: async (run) => pick(await peerNamed(run.name), "addresses"),
      expected: ["198.51.100.201/32"],
      invalid: "203.0.113.9",
      message: /\S/,
    },
    {
      dialog: "Add peer",
      label: /^DNS/,
      valid: "198.51.100.53",
      readBack: async (run) => pick(await peerNamed(run.name), "dns"),
      expected: ["198.51.100.53"],
      invalid: "not a server!",
      message: /\S/,
    },
    {
      dialog: "Add peer",
      label: /^Client AllowedIPs/,
      valid: "198.51.100.0/24",
      readBack: async (run) => pick(await peerNamed(run.name), "clientAllowedIps"),
      expected: ["198.51.100.0/24"],
      invalid: "300.1.2.3/8",
      message: /\S/,
    },
    {
      dialog: "Add peer",
      label: /^MTU/,
      valid: "1400",
      readBack: async (run) => pick(await peerNamed(run.name), "mtu"),
      expected: 1400,
      invalid: "100",
      message: MTU_RANGE,
    },
    {
      dialog: "Add peer",
      label: /^Persistent keepalive/,
      valid: "25",
      readBack: async (run) => pick(await peerNamed(run.name), "keepalive"),
      expected: 25,
      invalid: "70000",
      message: KEEPALIVE_RANGE,
    },
    {
      dialog: "Add peer",
      label: /^Expires/,
      valid: "2031-06-30",
      readBack: async (run) => String(pick(await peerNamed(run.name), "expiresAt")).slice(0, 7),
      expected: "2031-06",
    },
    // The traffic quota (QuotaFields), in Advanced.
    {
      dialog: "Add peer",
      label: /^Budget/,
      valid: "1.5",
      readBack: async (run) => pick(pick(await peerNamed(run.name), "quota"), "bytes"),
      expected: 1.5 * GiB,
      invalid: "0",
      message: AMOUNT_SENTENCE,
    },
    {
      dialog: "Add peer",
      label: /^Starts on day/,
      valid: "28",
      readBack: async (run) => pick(pick(await peerNamed(run.name), "quota"), "resetDay"),
      expected: 28,
      invalid: "31",
      message: /^Enter a whole number from \d+ to 28\.$/,
      reveal: withBudget,
    },
    {
      dialog: "Add peer",
      label: /^Warn at %/,
      valid: "75",
      readBack: async (run) => pick(pick(await peerNamed(run.name), "quota"), "warnAtPercent"),
      expected: 75,
      invalid: "150",
      message: /^Enter a whole number from 1 to 99\.$/,
      reveal: withBudget,
    },
    {
      dialog: "Add peer",
      label: /^Your preshared key/,
      valid: OWN_PRESHARED_KEY,
      readBack: async (run) => pick(await peerNamed(run.name), "hasPresharedKey"),
      expected: true,
      invalid: BAD_KEY,
      message: KEY_SENTENCE,
      reveal: (dialog) => dialog.getByLabel("Use mine").check(),
    },
    {
      dialog: "Add peer",
      label: /^Client public key/,
      valid: CLIENT_PUBLIC_KEY,
      readBack: async (run) => pick(await peerNamed(run.name), "publicKey"),
      expected: CLIENT_PUBLIC_KEY,
      invalid: BAD_KEY,
      message: KEY_SENTENCE,
      reveal: (dialog) => dialog.getByLabel("The client brings its own key pair").check(),
    },
    // Create many (CreateManyPeersDialog): the peers are named <prefix>-001, <prefix>-002, …
    {
      dialog: "Create many",
      label: /^Number of peers/,
      valid: "3",
      readBack: async (run) =>
        [await peerNamed(`${run.name}-003`), await peerNamed(`${run.name}-004`)].map(Boolean),
      expected: [true, false],
      invalid: "0",
      message: /^Enter a whole number from 1 to 1,000\.$/,
    },
    {
      dialog: "Create many",
      label: /^Name prefix/,
      valid: "df many",
      readBack: async () => pick(await peerNamed("df many-002"), "name"),
      expected: "df many-002",
      // The prefix row's peers exist now (valid rows run first): the same names are refused.
      invalid: "DF MANY",
      message: /^Peer names already taken: df many-001, df many-002\.$/i,
    },
    {
      dialog: "Create many",
      label: /^Node/,
      control: "select",
      valid: "local",
      readBack: async (run) => pick(await peerNamed(`${run.name}-001`), "node"),
      expected: "local",
    },
    {
      dialog: "Create many",
      label: /^Description/,
      valid: "Fleet laptops",
      readBack: async (run) => pick(await peerNamed(`${run.name}-002`), "description"),
      expected: "Fleet laptops",
      invalid: "bell \u0007 rings",
      message: PLAIN_TEXT,
    },
    {
      dialog: "Create many",
      label: /^Expires/,
      valid: "2031-06-30",
      readBack: async (run) => String(pick(await peerNamed(`${run.name}-001`), "expiresAt")).slice(0, 7),
      expected: "2031-06",
    },
    {
      dialog: "Create many",
      label: /^Budget/,
      valid: "1.5",
      readBack: async (run) => pick(pick(await peerNamed(`${run.name}-002`), "quota"), "bytes"),
      expected: 1.5 * GiB,
      invalid: "0",
      message: AMOUNT_SENTENCE,
    },
    {
      dialog: "Create many",
      label: /^Starts on day/,
      valid: "28",
      readBack: async (run) => pick(pick(await peerNamed(`${run.name}-001`), "quota"), "resetDay"),
      expected: 28,
      invalid: "31",
      message: /^Enter a whole number from \d+ to 28\.$/,
      reveal: withBudget,
    },
    {
      dialog: "Create many",
      label: /^Warn at %/,
      valid: "75",
      readBack: async (run) => pick(pick(await peerNamed(`${run.name}-001`), "quota"), "warnAtPercent"),
      expected: 75,
      invalid: "150",
      message: /^Enter a whole number from 1 to 99\.$/,
      reveal: withBudget,
    },
    // Import CSV (ImportCsvDialog): the pasted file; a refused file lists its rows and says so here.
    {
      dialog: "Import CSV",
      label: /^CSV text/,
      valid: "name,expiresAt\ndf csv peer,2031-06-30",
      readBack: async () => String(pick(await peerNamed("df csv peer"), "expiresAt")).slice(0, 7),
      expected: "2031-06",
      // The row's peer exists now (valid rows run first): the whole file is refused.
      invalid: "name\ndf csv peer",
      message: /^1 row refused, so nothing was created: see the list below\.$/,
    },
    {
      dialog: "Import CSV",
      // "Create the good rows, skip the bad ones": line 3 repeats line 2's name and is left out.
      label: /^CSV text\b/,
      valid: "name\ndf csv partial\ndf csv partial",
      readBack: async () => pick(await peerNamed("df csv partial"), "name"),
      expected: "df csv partial",
      reveal: (dialog) => dialog.getByLabel("Create the good rows, skip the bad ones").check(),
    },
    // Edit peer (EditPeerDialog)
    {
      dialog: "Edit peer",
      label: /^Description/,
      valid: "Edited peer",
      readBack: async () => pick(await editPeer(), "description"),
      expected: "Edited peer",
      invalid: "bell \u0007 rings",
      message: PLAIN_TEXT,
    },
    {
      dialog: "Edit peer",
      label: /^Contact e-mail/,
      valid: "edited@example.org",
      readBack: async () => pick(await editPeer(), "contactEmail"),
      expected: "edited@example.org",
      invalid: "edited@",
      message: /is not an e-mail address/,
    },
    {
      dialog: "Edit peer",
      label: /^Addresses/,
      valid: "198.51.100.77",
      readBack: async () => pick(await editPeer(), "addresses"),
      expected: ["198.51.100.77/32"],
      invalid: "203.0.113.5",
      message: /\S/,
    },
    {
      dialog: "Edit peer",
      label: /^DNS/,
      valid: "198.51.100.54",
      readBack: async () => pick(await editPeer(), "dns"),
      expected: ["198.51.100.54"],
      invalid: "not a server!",
      message: /\S/,
    },
    {
      dialog: "Edit peer",
      label: /^Client AllowedIPs/,
      valid: "198.51.100.0/25",
      readBack: async () => pick(await editPeer(), "clientAllowedIps"),
      expected: ["198.51.100.0/25"],
      invalid: "300.1.2.3/8",
      message: /\S/,
    },
    {
      dialog: "Edit peer",
      label: /^MTU/,
      valid: "1360",
      readBack: async () => pick(await editPeer(), "mtu"),
      expected: 1360,
      invalid: "100",
      message: MTU_RANGE,
    },
    {
      dialog: "Edit peer",
      label: /^Persistent keepalive/,
      valid: "30",
      readBack: async () => pick(await editPeer(), "keepalive"),
      expected: 30,
      invalid: "70000",
      message: KEEPALIVE_RANGE,
    },
    {
      dialog: "Edit peer",
      label: /^Expires/,
      valid: "2032-01-15",
      readBack: async () => String(pick(await editPeer(), "expiresAt")).slice(0, 7),
      expected: "2032-01",
    },
    {
      dialog: "Edit peer",
      label: /^Budget/,
      valid: "3",
      readBack: async () => pick(pick(await editPeer(), "quota"), "bytes"),
      expected: 3 * GiB,
      invalid: "lots",
      message: AMOUNT_SENTENCE,
    },
    // Last of Edit peer: the name (the dialog's title follows it).
    {
      dialog: "Edit peer",
      label: /^Name/,
      valid: "df edited name",
      readBack: async () => pick(await editPeer(), "name"),
      expected: "df edited name",
      invalid: "df new peer",
      message: /^A peer named "df new peer" already exists in this configuration\.$/,
    },
    // Add node (NodeDialog, adding): no agent runs at these URLs; a node is added all the same.
    {
      dialog: "Add node",
      label: /^Name/,
      valid: "df node one",
      readBack: async (run) => pick(await nodeNamed(run.name), "name"),
      expected: "df node one",
      invalid: "-starts with a dash",
      message: /^Must be 1-63 letters, digits, spaces or \._- \(starting with a letter or digit\)\.$/,
    },
    {
      dialog: "Add node",
      label: /^Agent URL/,
      valid: "http://127.0.0.1:1",
      readBack: async (run) => pick(await nodeNamed(run.name), "agentUrl"),
      expected: "http://127.0.0.1:1",
      invalid: "ftp://127.0.0.1:2",
      message: /^Must start with http:\/\/ or https:\/\/\.$/,
    },
    {
      dialog: "Add node",
      label: /^Shared secret/,
      valid: "a-secret-of-enough-length",
      // Write-only: the API never returns it. The node exists, so it was taken.
      readBack: async (run) => (await nodeNamed(run.name)) !== undefined,
      expected: true,
      invalid: "too-short",
      message: /^Must be at least 16 characters/,
    },
    {
      dialog: "Add node",
      label: /^Endpoint host/,
      valid: "vpn2.example.com",
      readBack: async (run) => pick(await nodeNamed(run.name), "endpointHost"),
      expected: "vpn2.example.com",
      invalid: "bad host!",
      message: /\S/,
    },
    {
      dialog: "Add node",
      label: /^Weight/,
      valid: "250",
      readBack: async (run) => pick(await nodeNamed(run.name), "weight"),
      expected: 250,
      invalid: "0",
      message: COUNT_RANGE,
    },
    {
      dialog: "Add node",
      label: /^Max peers/,
      valid: "500",
      readBack: async (run) => pick(await nodeNamed(run.name), "maxPeers"),
      expected: 500,
      invalid: "0",
      message: COUNT_RANGE,
    },
    {
      dialog: "Add node that dials out",
      label: /^Name/,
      valid: "df dialing node",
      readBack: async (run) => {
        const node = await nodeNamed(run.name);
        return [pick(node, "connection"), pick(node, "agentUrl")];
      },
      expected: ["dial-out", null],
      invalid: "-starts with a dash",
      message: /^Must be 1-63 letters, digits, spaces or \._- \(starting with a letter or digit\)\.$/,
    },
    // Edit node (NodeDialog, editing)
    {
      dialog: "Edit node",
      label: /^Agent URL/,
      valid: "http://127.0.0.1:3",
      readBack: async () => pick(await editNode(), "agentUrl"),
      expected: "http://127.0.0.1:3",
      invalid: "ftp://127.0.0.1:4",
      message: /^Must start with http:\/\/ or https:\/\/\.$/,
    },
    {
      dialog: "Edit node",
      label: /^Shared secret/,
      valid: "another-secret-of-length",
      readBack: async () => (await editNode()) !== undefined,
      expected: true,
      invalid: "too-short",
      message: /^Must be at least 16 characters/,
    },
    {
      dialog: "Edit node",
      label: /^Endpoint host/,
      valid: "198.18.0.62",
      readBack: async () => pick(await editNode(), "endpointHost"),
      expected: "198.18.0.62",
      invalid: "bad host!",
      message: /\S/,
    },
    {
      dialog: "Edit node",
      label: /^Weight/,
      valid: "40",
      readBack: async () => pick(await editNode(), "weight"),
      expected: 40,
      invalid: "0",
      message: COUNT_RANGE,
    },
    {
      dialog: "Edit node",
      label: /^Max peers/,
      valid: "77",
      readBack: async () => pick(await editNode(), "maxPeers"),
      expected: 77,
      invalid: "0",
      message: COUNT_RANGE,
    },
    {
      dialog: "Edit node",
      label: /^Name/,
      valid: "df node renamed",
      readBack: async () => pick(await editNode(), "name"),
      expected: "df node renamed",
      invalid: "-starts with a dash",
      message: /^Must be 1-63 letters/,
    },
    // Your password (PasswordForm on Settings): the signed-in user's own.
    {
      dialog: "Change password",
      label: /^Current password/,
      valid: formsUser.password,
      readBack: () => signsIn(formsUser.username, SECOND_PASSWORD),
      expected: true,
      invalid: "not-my-password",
      message: /^Does not match your current password\.$/,
    },
    {
      dialog: "Change password",
      label: /^New password$/,
      valid: "dfadmin-third-3",
      readBack: () => signsIn(formsUser.username, "dfadmin-third-3"),
      expected: true,
      invalid: "short",
      message: PASSWORD_LENGTH,
    },
    {
      dialog: "Change password",
      label: /^New password again/,
      valid: SECOND_PASSWORD,
      readBack: () => signsIn(formsUser.username, SECOND_PASSWORD),
      expected: true,
      invalid: "something-else-1",
      message: /^Does not match the new password\.$/,
    },
    // Share links (ShareDialog): the newest link's lifetime and kind.
    {
      dialog: "Share link",
      label: /^Works for \(hours\)/,
      valid: "12",
      readBack: () => newestShareLink(),
      expected: { hours: 12, oneTime: false },
      invalid: "0",
      message: /^Enter a whole number from 1 to 8,760\.$/,
    },
    {
      dialog: "Share link",
      label: /^Works for \(hours\)/,
      valid: "5",
      reveal: (dialog) => dialog.getByLabel("One download only").check(),
      readBack: () => newestShareLink(),
      expected: { hours: 5, oneTime: true },
    },
    // API keys (ApiKeysSection): the browser's maxlength and the disabled button leave nothing invalid to type.
    {
      dialog: "New API key",
      label: /^New key's name/,
      valid: "df-ci-key",
      readBack: async () =>
        (await api<{ items: Json[] }>("GET", "/api/v1/apikeys")).items.some((k) => k.name === "df-ci-key"),
      expected: true,
    },
    {
      dialog: "New API key",
      label: /^Scope/,
      control: "select",
      valid: "wgdashboard",
      // Saved, and the key list says so in its row.
      readBack: async (run) => ({
        scope: pick(await apiKeyNamed(run.name), "scope"),
        shown: (
          await page.locator("tr").filter({ hasText: run.name }).getByTestId("apikey-scope").textContent()
        )?.trim(),
      }),
      expected: { scope: "wgdashboard", shown: "WGDashboard-compatible API only" },
    },
    // Join tokens (JoinTokenDialog on Nodes): the name's maxlength leaves nothing invalid to type there.
    {
      dialog: "Join token",
      label: /^Name/,
      valid: "df-join-node",
      readBack: async (run) => pick(await joinTokenNamed(run.name), "name"),
      expected: "df-join-node",
    },
    {
      dialog: "Join token",
      label: /^Works for \(minutes\)/,
      valid: "90",
      readBack: async (run) => lifetimeOf(await joinTokenNamed(run.name)),
      expected: 90,
      invalid: "0",
      message: /^Enter a whole number from 1 to 10,080\.$/,
    },
    // Users (UsersSection): add, and set another user's password.
    {
      dialog: "Add user",
      label: /^Username/,
      valid: "df.user@example",
      readBack: async (run) => pick(await userNamed(run.name), "username"),
      expected: "df.user@example",
      invalid: "-dash-first",
      message: /^Use letters, digits or \. _ @ - starting with a letter or digit\.$/,
    },
    {
      dialog: "Add user",
      label: /^First password/,
      valid: "df-first-pass-2",
      readBack: (run) => signsIn(run.name, "df-first-pass-2"),
      expected: true,
      invalid: "short",
      message: PASSWORD_LENGTH,
    },
    {
      dialog: "Add user",
      label: /^Role/,
      control: "select",
      valid: "admin",
      readBack: async (run) => pick(await userNamed(run.name), "role"),
      expected: "admin",
    },
    {
      dialog: "Set user password",
      label: /^New password/,
      valid: "df-reset-pass-1",
      readBack: () => signsIn(resetUser, "df-reset-pass-1"),
      expected: true,
      invalid: "short",
      message: PASSWORD_LENGTH,
    },
  ];

  const agentPorts: number[] = [];

  /** Off the page before a cleanup deletes what it shows (its next poll would get a 404). */
  async function leave(): Promise<void> {
    await page.goto("about:blank");
  }

  function noErrors(where: string): void {
    expect(errors.take(), `console errors on ${where}`).toEqual([]);
  }

  /** The field's box (label, control, help, error) in the dialog. */
  function fieldBox(dialog: Locator, label: RegExp): Locator {
    return dialog.locator(".field").filter({ has: page.getByLabel(label) });
  }

  async function fill(dialog: Locator, label: RegExp, value: string, control: FieldRow["control"]) {
    const input = dialog.getByLabel(label);
    if (control === "select") await input.selectOption(value);
    else await input.fill(value);
  }

  /** Opens the row's dialog and fills its field (and everything else it needs) with `value`. */
  async function fillRow(row: FieldRow, run: Run, value: string): Promise<Locator> {
    const driver = DIALOGS[row.dialog];
    const dialog = await driver.open(run);
    await dialog.waitFor();
    await row.reveal?.(dialog);
    for (const [label, text] of driver.required(run)) {
      if (label.source !== row.label.source) await fill(dialog, label, text, "fill");
    }
    await fill(dialog, row.label, value, row.control);
    if (row.dialog === "Change password" && row.label.source === "^New password$")
      await fill(dialog, /^New password again/, value, "fill");
    return dialog;
  }

  function runOf(row: FieldRow): Run {
    const driver = DIALOGS[row.dialog];
    if (driver.name) return { name: driver.name(row) };
    return { name: row.label.source === "^Name" ? row.valid : uniqueName("df", 12) };
  }

  beforeAll(async () => {
    dashboard = await startDashboard("dialog-fields");
    await api("POST", "/api/v1/configurations", { name: base, description: "dialog fields" });
    await putOnLocal(base, "198.51.100.0/24");
    editPeerId = String(
      pick(await api("POST", `/api/v1/configurations/${base}/peers`, { name: editPeerName }), "id"),
    );
    const node = await api("POST", "/api/v1/nodes", {
      name: "dfnode",
      agentUrl: "http://127.0.0.1:5",
      secret: "df-node-secret-".padEnd(32, "x"),
      endpoint: "198.18.0.60",
    });
    editNodeId = String(pick(node, "id"));
    for (let i = 0; i < 16; i++) agentPorts.push(await freePort());
    await api("POST", "/api/v1/users", { ...formsUser, role: "admin", mustChangePassword: false });
    await api("POST", "/api/v1/users", { username: resetUser, password: "df-reset-first", role: "viewer" });

    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    errors = watchErrors(page);
    // Signed in as its own admin, so changing this user's password leaves the API session alone.
    await page.goto(`${dashboard.url}/sign-in`);
    await page.getByLabel("Username").fill(formsUser.username);
    await page.getByLabel("Password").fill(formsUser.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Overview" }).waitFor();
    noErrors("sign-in");
  });

  afterAll(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    if (dashboard) {
      for (const name of [base, ...created]) {
        await api("DELETE", `/api/v1/configurations/${name}?force=true`).catch(() => {});
      }
      await dashboard.stop();
    }
  });

  it.each(ROWS.map((row) => ({ ...row, what: `${row.dialog} › ${row.label.source}` })))(
    "$what: a valid value saves and reads back",
    async (row) => {
      const run = runOf(row);
      if (row.dialog === "Add interface") created.push(run.name);
      const dialog = await fillRow(row, run, row.valid);
      await dialog.getByRole("button", { name: DIALOGS[row.dialog].submit }).click();
      await DIALOGS[row.dialog].saved(dialog);
      expect(await row.readBack(run)).toEqual(row.expected);
      if (row.dialog === "Change password") password = newPasswordOf(row);
      noErrors(`${row.dialog} › ${row.label.source} = ${row.valid}`);
      await leave();
      await DIALOGS[row.dialog].cleanup?.(run);
    },
  );

  const INVALID = ROWS.filter((row) => row.invalid !== undefined).map((row) => ({
    ...row,
    what: `${row.dialog} › ${row.label.source} = ${JSON.stringify(row.invalid)}`,
  }));

  it.each(INVALID)("$what: refused, the sentence next to that field, nothing changed", async (row) => {
    const run = runOf(row);
    if (row.dialog === "Add interface") created.push(run.name);
    const driver = DIALOGS[row.dialog];
    const dialog = await fillRow(row, run, row.invalid as string);
    const before = await driver.state(run);
    await dialog.getByRole("button", { name: driver.submit }).click();
    const box = fieldBox(dialog, row.label);
    const alert = box.getByRole("alert");
    await alert.waitFor({ timeout: 10_000 });
    expect((await alert.textContent())?.trim()).toMatch(row.message as RegExp);
    expect(await dialog.getByLabel(row.label).getAttribute("aria-invalid")).toBe("true");
    // Only this field complains.
    expect(await dialog.locator(".field [role=alert]").count()).toBe(1);
    expect(await driver.state(run)).toEqual(before);
    // The browser reports the refused request itself (400/409); anything else is a failure.
    const logged = errors.take().filter((e) => !/status of 4(00|09)/.test(e));
    expect(logged, "console errors").toEqual([]);
    await screenshot(page, `dialog-fields-${row.dialog.replace(/\W+/g, "-")}-invalid`).catch(() => {});
    await leave();
    await driver.cleanup?.(run);
  });

  it("says how long a password must be in words, next to New password", async () => {
    await goto("/settings", "Settings");
    const form = page.getByTestId("password-form");
    await form.getByLabel(/^Current password/).fill(password);
    await form.getByLabel(/^New password$/).fill("1234567");
    await form.getByLabel(/^New password again/).fill("1234567");
    await form.getByRole("button", { name: "Change password" }).click();
    const alert = fieldBox(form, /^New password$/).getByRole("alert");
    await alert.waitFor();
    expect((await alert.textContent())?.trim()).toBe("Use at least 8 characters.");
    expect(await form.textContent()).not.toMatch(/newPassword|must NOT/);
    await screenshot(page, "dialog-fields-password-length");
    errors.take(); // the refused request (400)
    await leave();
  });

  it("edits a user's role in place (the users table's Role select)", async () => {
    await goto("/settings", "Settings");
    await page.getByLabel(`Role of ${resetUser}`).selectOption("admin");
    await expect.poll(async () => pick(await userNamed(resetUser), "role")).toBe("admin");
    await page.getByLabel(`Role of ${resetUser}`).selectOption("viewer");
    await expect.poll(async () => pick(await userNamed(resetUser), "role")).toBe("viewer");
    noErrors("role change");
    await leave();
  });

  /** Clicks `button` in the page, confirms in the dialog, and expects `message` in the toast region. */
  async function deleteAndSeeToast(button: Locator, message: string): Promise<void> {
    await button.click();
    await openDialog().getByTestId("confirm").click();
    const toast = page.getByTestId("toasts").getByTestId("toast").filter({ hasText: message });
    await toast.waitFor({ timeout: 10_000 });
    expect(await page.getByTestId("toasts").getAttribute("role")).toBe("status");
    expect((await toast.textContent())?.trim()).toBe(message);
  }

  it("confirms every deletion with a toast: peer, interface, configuration, node, user, API key", async () => {
    const peer = await api("POST", `/api/v1/configurations/${base}/peers`, { name: "df toast peer" });
    await page.goto(`${dashboard.url}/peers/${String(pick(peer, "id"))}`);
    await deleteAndSeeToast(page.getByTestId("delete-peer"), "Peer df toast peer deleted.");
    await screenshot(page, "dialog-fields-toast");

    const doomed = uniqueName("dft", 10);
    created.push(doomed);
    await api("POST", "/api/v1/configurations", { name: doomed });
    await putOnLocal(doomed, "203.0.113.0/24");
    const localName = String(pick(await api("GET", "/api/v1/nodes/local"), "name"));
    await goto(`/configurations/${doomed}`, doomed);
    await deleteAndSeeToast(
      page.getByRole("button", { name: "Remove from this node" }),
      `${doomed} removed from ${localName}.`,
    );
    await deleteAndSeeToast(
      page.getByRole("button", { name: "Delete", exact: true }),
      `Configuration ${doomed} deleted.`,
    );

    const nodeName = String(pick(await editNode(), "name"));
    await page.goto(`${dashboard.url}/nodes/${editNodeId}`);
    await deleteAndSeeToast(page.getByTestId("delete-node"), `Node ${nodeName} deleted.`);

    await goto("/settings", "Settings");
    const userRow = page.getByTestId("user-row").filter({ hasText: "df.user@example" });
    await deleteAndSeeToast(userRow.getByRole("button", { name: "Delete" }), "User df.user@example deleted.");
    const keyRow = page.locator("tr").filter({ hasText: "df-ci-key" });
    await deleteAndSeeToast(keyRow.getByRole("button", { name: "Revoke" }), "API key df-ci-key revoked.");
    noErrors("deletions");
  });
});
