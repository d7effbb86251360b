// The dashboard's local node enforces access rules with the same code as an agent: its LocalTransport
// (built by createLocalTransport, with its budget ledger in a data dir) over real wireguard-go in a
// namespace, and a wg-quick client in another namespace pinging through the tunnel. No database and
// no HTTP: the node's own enforcement is what is judged, on the real clock.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateKeyPair, type InterfaceState, type PeerSpec } from "@wgfleet/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createLocalTransport,
  LOCAL_BUDGET_FILE,
  type LocalTransport,
} from "../../packages/dashboard/src/transport/local-transport.js";
import { eventually } from "../fleet/harness.js";
import {
  cleanupStale,
  createClientNamespace,
  createNamespace,
  ping,
  type TestNamespace,
  uniqueName,
} from "../support/netns.js";
import { missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";

const skip = missingPrerequisites(wireguardPrerequisites());
const PREFIX = "lna";
const NODE_ADDRESS = "198.51.100.1";
const CLIENT_ADDRESS = "198.51.100.2";
const PORT = 51822;

describe.skipIf(skip)("access rules on the dashboard's local node", () => {
  let dir: string;
  let server: TestNamespace | null = null;
  let client: TestNamespace | null = null;
  let transport: LocalTransport;
  let state: InterfaceState;
  const name = uniqueName(PREFIX, 15);
  const nodeKeys = generateKeyPair();
  const clientKeys = generateKeyPair();
  const basePeer: PeerSpec = { publicKey: clientKeys.publicKey, allowedIps: [`${CLIENT_ADDRESS}/32`] };
  let revision = 1;

  const peerLive = async () =>
    (await (server as TestNamespace).exec("wg", ["show", name, "peers"])).stdout.includes(
      clientKeys.publicKey,
    );
  const tunnelUp = () => ping(client as TestNamespace, NODE_ADDRESS, { count: 1, timeoutSec: 2 });
  const suspended = async () =>
    (await transport.health()).health.interfaces.find((i) => i.name === name)?.suspendedPeers ?? [];

  beforeAll(async () => {
    await cleanupStale(PREFIX);
    dir = await mkdtemp(join(tmpdir(), "wgfleet-local-access-"));
    server = await createNamespace(PREFIX);
    transport = createLocalTransport({ netns: server.name, dataDir: dir });
    state = {
      revision,
      interface: {
        name,
        privateKey: nodeKeys.privateKey,
        listenPort: PORT,
        addresses: [`${NODE_ADDRESS}/24`],
      },
      peers: [basePeer],
    };
    await transport.applyInterfaceState(state);
    const config = [
      "[Interface]",
      `PrivateKey = ${clientKeys.privateKey}`,
      `Address = ${CLIENT_ADDRESS}/32`,
      "",
      "[Peer]",
      `PublicKey = ${nodeKeys.publicKey}`,
      `Endpoint = ${server.nsAddress}:${PORT}`,
      `AllowedIPs = ${NODE_ADDRESS}/32`,
      "",
    ].join("\n");
    client = await createClientNamespace(PREFIX, config, uniqueName(PREFIX, 15));
    await eventually(tunnelUp, "the first ping through the tunnel", { timeoutMs: 30_000, intervalMs: 500 });
  }, 120_000);

  afterAll(async () => {
    await transport?.removeInterface(name).catch(() => {});
    await client?.destroy();
    await server?.destroy();
    await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it("takes an expired peer off within 5 s of notAfter, reports it in health, and a renewal brings it back", async () => {
    const notAfter = Date.now() + 4_000;
    await transport.upsertPeers(name, [{ ...basePeer, access: { notAfter } }], ++revision);
    expect(await peerLive()).toBe(true);
    await eventually(async () => !(await peerLive()), "the peer gone", {
      timeoutMs: 15_000,
      intervalMs: 100,
    });
    expect(Date.now() - notAfter).toBeLessThan(5_000);
    expect(await tunnelUp()).toBe(false);
    expect(await suspended()).toEqual([
      { publicKey: clientKeys.publicKey, reason: "expired", since: notAfter },
    ]);
    // The desired state keeps it: the digest covers it, a reconcile neither restores it nor sees a stray.
    expect((await transport.health()).health.interfaces[0]?.strayPeers).toEqual([]);
    expect(await transport.reconcile(name)).toMatchObject({ restored: 0, stray: [] });
    expect(await peerLive()).toBe(false);

    await transport.upsertPeers(
      name,
      [{ ...basePeer, access: { notAfter: Date.now() + 3_600_000 } }],
      ++revision,
    );
    await eventually(tunnelUp, "the ping back after the renewal", { timeoutMs: 45_000, intervalMs: 500 });
    expect(await suspended()).toEqual([]);
  }, 90_000);

  it("cuts a peer off at its budget and keeps the count in the data dir", async () => {
    const budget = { id: "local-1", bytesLeft: 100_000, counting: "rx" as const };
    await transport.upsertPeers(name, [{ ...basePeer, access: { budget } }], ++revision);
    await (client as TestNamespace).exec(
      "sh",
      ["-c", `ping -n -q -c 200 -i 0.02 -s 1200 -w 10 ${NODE_ADDRESS} || true`],
      { timeoutMs: 30_000 },
    );
    await eventually(async () => !(await peerLive()), "the peer cut off", {
      timeoutMs: 5_000,
      intervalMs: 100,
    });
    expect((await suspended())[0]?.reason).toBe("quota");
    const saved = await eventually(async () => {
      const text = await readFile(join(dir, LOCAL_BUDGET_FILE), "utf8").catch(() => null);
      const usage = text
        ? (JSON.parse(text) as { budgets: Array<{ budgetId: string; usedBytes: number }> }).budgets
        : [];
      return usage.find((entry) => entry.budgetId === budget.id && entry.usedBytes >= budget.bytesLeft);
    }, "the count in the data dir");
    console.info(`local node: budget ${budget.bytesLeft} B (rx), cut at ${saved.usedBytes} B`);
  }, 60_000);
});
