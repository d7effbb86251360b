// access: the node's access gate (packages/wireguard's AccessGate, pure: no root) with 10,000 peers on
// one interface — weekly schedules in two zones, expiries, budgets — on an injected clock. What a tick
// costs when nothing is due, when a window edge flips every peer, and when 10,000 budgets are counted.
// Every figure is checked: the flips and the counts must be what the rules say, or the suite fails.
import { randomBytes } from "node:crypto";
import type { LivePeer, PeerSpec } from "@wgfleet/core";
import { AccessGate } from "../../packages/wireguard/src/access/access-gate.js";
import type { BenchResult, BenchSuite } from "../types.js";

const PEERS = 10_000;
// Monday 2026-01-12 10:00 UTC: inside 08:00-17:00 in both zones below.
const T0 = Date.parse("2026-01-12T10:00:00Z");

function peers(): PeerSpec[] {
  return Array.from({ length: PEERS }, (_, i) => ({
    publicKey: randomBytes(32).toString("base64"),
    allowedIps: [`2001:db8:a::${(i + 2).toString(16)}/128`],
    access: {
      notAfter: T0 + 30 * 86_400_000 + i,
      // Each peer its own (equal) schedule object, as JSON parsing gives them.
      schedule: {
        timeZone: i % 2 === 0 ? "Europe/Berlin" : "Europe/London",
        windows: [{ days: [1, 2, 3, 4, 5], from: "08:00", to: "17:00" }],
      },
      budget: { id: `b-${i}`, bytesLeft: 1_000_000, counting: "total" as const },
    },
  }));
}

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const suite: BenchSuite = {
  name: "access",
  description: "access gate with 10,000 ruled peers: admit, idle tick, window edge, budget counting",
  async *run(): AsyncIterable<BenchResult> {
    let now = T0;
    const gate = new AccessGate({ clock: () => now });
    await gate.ready;
    const list = peers();

    let start = process.hrtime.bigint();
    gate.setPeers("wg0", list);
    yield { bench: "access.admit_10k", value: ms(start), unit: "ms", peers: PEERS };
    if (gate.suspendedPeers("wg0").length !== 0) throw new Error("peers suspended inside their window");

    const ticks = 1_000;
    start = process.hrtime.bigint();
    for (let i = 0; i < ticks; i++) {
      now += 1;
      if (gate.advance().size !== 0) throw new Error("an idle tick flipped peers");
    }
    yield {
      bench: "access.idle_tick",
      value: (ms(start) * 1000) / ticks,
      unit: "µs",
      target: "small",
      peers: PEERS,
    };

    // 16:00Z is 17:00 in Berlin: half the peers leave their window at once.
    now = Date.parse("2026-01-12T16:00:00Z");
    start = process.hrtime.bigint();
    const flipped = gate.advance().get("wg0")?.length ?? 0;
    yield { bench: "access.window_edge_tick", value: ms(start), unit: "ms", flipped };
    if (flipped !== PEERS / 2)
      throw new Error(`${flipped} peers flipped at the Berlin edge, not ${PEERS / 2}`);

    const live = (bytes: number): LivePeer[] =>
      list.map((p) => ({
        publicKey: p.publicKey,
        endpoint: null,
        allowedIps: [],
        latestHandshake: 0,
        rxBytes: bytes,
        txBytes: bytes,
        persistentKeepalive: null,
      }));
    gate.settleBaselines(
      list.map((p) => p.publicKey),
      live(0),
    );
    const reading = live(1_000);
    start = process.hrtime.bigint();
    gate.countTraffic("wg0", reading);
    yield { bench: "access.count_budgets", value: ms(start), unit: "ms", livePeers: PEERS };
    const counted = list.filter((p, i) => i % 2 === 1 && gate.usedBytes(p.publicKey) === 2_000).length;
    if (counted !== PEERS / 2) throw new Error(`${counted} budgets counted, not ${PEERS / 2}`);
  },
};

export default suite;
