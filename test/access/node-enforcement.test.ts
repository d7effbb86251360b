// Access rules enforced by a real agent process with no dashboard at all (the rule holds while the
// dashboard is down): wireguard-go in the node's namespace, a wg-quick client in its own namespace
// pinging the node's tunnel address. Expiry, renewal, a weekly schedule (the agent's clock shifted by
// test/support/shifted-clock.ts), a traffic budget with its overshoot, and the budget's count across
// agent restarts. `wg show` inside the node's namespace and the ping are the judges.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AgentClient } from "@wgfleet/agent/client";
import { generateKeyPair, type InterfaceSpec, type PeerAccess, type PeerSpec } from "@wgfleet/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUDGET_LEDGER_FILE } from "../../packages/agent/src/agent.js";
import { eventually, type Fleet, type FleetClient, type FleetNode, startFleet } from "../fleet/harness.js";
import { missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import { SHIFTED_CLOCK_MODULE, TEST_CLOCK_FILE_ENV, writeClockOffset } from "../support/shifted-clock.js";

const skip = missingPrerequisites(wireguardPrerequisites());
const NODE_ADDRESS = "198.51.100.1";
const CLIENT_ADDRESS = "198.51.100.2";
const PORT = 51821;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe.skipIf(skip)("access rules enforced by the agent alone", () => {
  let dir: string;
  let clockFile: string;
  let offset = 0;
  let fleet: Fleet | null = null;
  let client: FleetClient;
  let node: FleetNode;
  let name: string;
  let iface: InterfaceSpec;
  let revision = 1;
  const clientKeys = generateKeyPair();
  const nodeKeys = generateKeyPair();
  const basePeer: PeerSpec = { publicKey: clientKeys.publicKey, allowedIps: [`${CLIENT_ADDRESS}/32`] };

  /** The agent's clock: real time plus the offset the clock file holds. */
  const agentNow = () => Date.now() + offset;
  const agent = () =>
    new AgentClient({ baseUrl: node.agentUrl, keyId: node.keyId, secret: node.secret, clock: agentNow });
  const shiftClock = async (ms: number) => {
    offset = ms;
    await writeClockOffset(clockFile, ms);
    // The agent re-reads the file every 100 ms of real time.
    await new Promise((resolve) => setTimeout(resolve, 300));
  };
  const upsert = (access?: PeerAccess) =>
    agent().upsertPeer(name, access ? { ...basePeer, access } : basePeer, ++revision);
  const peerLive = async () => (await node.wg(["show", name, "peers"])).includes(clientKeys.publicKey);
  const tunnelUp = () => client.ping(NODE_ADDRESS, { count: 1, timeoutSec: 2 });
  const suspended = async () =>
    (await agent().health()).interfaces.find((i) => i.name === name)?.suspendedPeers ?? [];
  const ledgerUsed = async (): Promise<number | null> => {
    const text = await readFile(join(node.stateDir, BUDGET_LEDGER_FILE), "utf8").catch(() => null);
    if (text === null) return null;
    const usage = (JSON.parse(text) as { budgets: Array<{ publicKey: string; usedBytes: number }> }).budgets;
    return usage.find((entry) => entry.publicKey === clientKeys.publicKey)?.usedBytes ?? null;
  };
  /** Waits for the peer to leave the node; returns when, on the agent's clock. */
  const waitUntilGone = async (timeoutMs: number): Promise<number> => {
    await eventually(async () => !(await peerLive()), "the peer gone from wg show", {
      timeoutMs,
      intervalMs: 100,
    });
    return agentNow();
  };
  const waitTunnel = (what: string) => eventually(tunnelUp, what, { timeoutMs: 45_000, intervalMs: 500 });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "wgfleet-access-"));
    clockFile = join(dir, "clock-offset");
    await writeClockOffset(clockFile, 0);
    fleet = await startFleet({
      nodes: 1,
      prefix: "na",
      dashboard: false,
      agentImports: [SHIFTED_CLOCK_MODULE],
      agentEnv: { [TEST_CLOCK_FILE_ENV]: clockFile },
    });
    node = fleet.node(0);
    name = node.interfaceName(0);
    iface = { name, privateKey: nodeKeys.privateKey, listenPort: PORT, addresses: [`${NODE_ADDRESS}/24`] };
    await agent().putState(name, { revision, interface: iface, peers: [basePeer] });
    const config = [
      "[Interface]",
      `PrivateKey = ${clientKeys.privateKey}`,
      `Address = ${CLIENT_ADDRESS}/32`,
      "",
      "[Peer]",
      `PublicKey = ${nodeKeys.publicKey}`,
      `Endpoint = ${node.endpoint(PORT)}`,
      `AllowedIPs = ${NODE_ADDRESS}/32`,
      "",
    ].join("\n");
    client = await fleet.createClient(config);
    await waitTunnel("the first ping through the tunnel");
  }, 300_000);

  afterAll(async () => {
    await fleet?.stop();
    await rm(dir, { recursive: true, force: true });
  }, 120_000);

  it("takes an expired peer off within 5 s of notAfter, keeps it off through drift checks, and a renewal brings it back", async () => {
    const notAfter = agentNow() + 4_000;
    await upsert({ notAfter });
    expect(await peerLive()).toBe(true);
    expect(await tunnelUp()).toBe(true);
    const gone = await waitUntilGone(15_000);
    console.info(`agent: expired peer off the kernel ${gone - notAfter} ms after notAfter`);
    expect(gone - notAfter).toBeLessThan(5_000);
    expect(gone).toBeGreaterThanOrEqual(notAfter);
    expect(await tunnelUp()).toBe(false);
    expect(await suspended()).toEqual([
      { publicKey: clientKeys.publicKey, reason: "expired", since: notAfter },
    ]);
    // Drift checks run every 2 s: they neither restore it nor call it a stray.
    await new Promise((resolve) => setTimeout(resolve, 4_500));
    expect(await peerLive()).toBe(false);
    const health = (await agent().health()).interfaces.find((i) => i.name === name);
    expect(health?.strayPeers).toEqual([]);

    await upsert({ notAfter: agentNow() + DAY });
    expect(await peerLive()).toBe(true);
    await waitTunnel("the ping back after the renewal");
    expect(await suspended()).toEqual([]);
  }, 90_000);

  it("cuts the tunnel when the schedule's window closes and reopens it in the next window", async () => {
    await upsert();
    // A daily window [end - 1 h, end) in UTC, with the agent's clock put 5 s before its end.
    const end = Math.ceil((Date.now() + 2 * MINUTE) / MINUTE) * MINUTE;
    const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
    const schedule = {
      timeZone: "UTC",
      windows: [{ days: [0, 1, 2, 3, 4, 5, 6], from: hhmm(end - 60 * MINUTE), to: hhmm(end) }],
    };
    await shiftClock(end - 5_000 - Date.now());
    await upsert({ schedule });
    expect(await peerLive()).toBe(true);
    await waitTunnel("the ping inside the window");
    const gone = await waitUntilGone(15_000);
    console.info(`agent: peer off the kernel ${gone - end} ms after its window closed`);
    expect(gone).toBeGreaterThanOrEqual(end);
    expect(gone - end).toBeLessThan(5_000);
    expect(await tunnelUp()).toBe(false);
    expect((await suspended())[0]?.reason).toBe("schedule");

    // The next day's window: 23 h later on the agent's clock.
    await shiftClock(end + DAY - 60 * MINUTE + 1_000 - Date.now());
    await eventually(peerLive, "the peer back in the next window", { timeoutMs: 5_000, intervalMs: 100 });
    await waitTunnel("the ping back in the next window");
    await shiftClock(0);
    await upsert();
  }, 120_000);

  it("counts a budget across agent restarts without resetting or double counting, cuts the peer off at it, and a new id restores it", async () => {
    const budget = { id: "budget-1", bytesLeft: 300_000, counting: "total" as const };
    await upsert({ budget });
    await waitTunnel("the ping with a budget");
    // About 100 KB through the tunnel, then a clean stop: the count and the counters it read are saved.
    await client.ns.exec(
      "ping",
      ["-n", "-q", "-c", "40", "-i", "0.02", "-s", "1200", "-w", "10", NODE_ADDRESS],
      { timeoutMs: 30_000 },
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await node.stopAgent();
    const beforeRestart = (await ledgerUsed()) ?? 0;
    expect(beforeRestart).toBeGreaterThan(80_000);
    expect(beforeRestart).toBeLessThan(300_000);
    // Restarted with the live counters still at their value: the next readings add nothing twice.
    await node.startAgent();
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    await node.stopAgent();
    const afterRestart = (await ledgerUsed()) ?? 0;
    expect(afterRestart).toBeGreaterThanOrEqual(beforeRestart);
    expect(afterRestart - beforeRestart).toBeLessThan(2_000);
    await node.startAgent();
    expect(await peerLive()).toBe(true);

    // Bounded flood: 300 pings of 1200 bytes (~750 KB both ways), at most 10 s.
    // ping exits non-zero when replies are missing; the shell keeps its summary line for the report.
    const flood = (
      await client.ns.exec("sh", ["-c", `ping -n -q -c 300 -i 0.02 -s 1200 -w 10 ${NODE_ADDRESS} || true`], {
        timeoutMs: 30_000,
      })
    ).stdout;
    await waitUntilGone(5_000);
    expect(await tunnelUp()).toBe(false);
    expect((await suspended())[0]?.reason).toBe("quota");
    const used = await eventually(
      async () => ((await ledgerUsed()) ?? 0) >= budget.bytesLeft && ledgerUsed(),
      "the count saved",
    );
    const received = Number(/(\d+) received/.exec(flood)?.[1] ?? "0");
    console.info(
      `budget ${budget.bytesLeft} B: cut at ${used} B counted (overshoot ${(used as number) - budget.bytesLeft} B); ` +
        `${received} of 300 pings of 1200 B answered`,
    );
    expect(received).toBeLessThan(300);
    expect((used as number) - budget.bytesLeft).toBeLessThan(budget.bytesLeft);

    // A restart keeps the count: the peer stays off.
    await node.stopAgent();
    await node.startAgent();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await peerLive()).toBe(false);
    expect((await suspended())[0]?.reason).toBe("quota");
    expect(await ledgerUsed()).toBe(used);

    // A new budget id starts a new count: the peer is back.
    await upsert({ budget: { ...budget, id: "budget-2" } });
    expect(await peerLive()).toBe(true);
    await waitTunnel("the ping back with a new budget");
  }, 180_000);
});
