// A node transport for stats tests that keeps the desired peers in memory and answers live reads with
// the counters and handshake times the test sets: the stats poller and the traffic history run against
// it without WireGuard (the real interface is covered by test/dashboard/traffic-stats.test.ts).
import type { Health, InterfaceState, LivePeer, PeerSpec } from "@wgfleet/core";
import type { DriftRepairReport, NodeHealthReport, NodeTransport } from "../../transport/node-transport.js";

/** A node that keeps the desired peers in memory and answers reads with counters the test sets. */
export class ScriptedNode implements NodeTransport {
  readonly peers = new Map<string, PeerSpec[]>();
  readonly counters = new Map<string, { rx: number; tx: number }>();
  /** Public key → latest handshake, seconds since the epoch (0: none). */
  readonly handshakes = new Map<string, number>();
  reads = 0;
  failReads = false;

  constructor(readonly nodeId: string) {}

  async applyInterfaceState(state: InterfaceState): Promise<void> {
    this.peers.set(state.interface.name, [...state.peers]);
  }
  async upsertPeers(name: string, peers: PeerSpec[]): Promise<void> {
    const keys = new Set(peers.map((p) => p.publicKey));
    this.peers.set(name, [...(this.peers.get(name) ?? []).filter((p) => !keys.has(p.publicKey)), ...peers]);
  }
  async removePeers(name: string, publicKeys: string[]): Promise<void> {
    this.peers.set(
      name,
      (this.peers.get(name) ?? []).filter((p) => !publicKeys.includes(p.publicKey)),
    );
  }
  async removeInterface(name: string): Promise<void> {
    this.peers.delete(name);
  }
  async readPeers(name: string): Promise<LivePeer[]> {
    this.reads++;
    if (this.failReads) throw new Error("scripted read failure");
    return (this.peers.get(name) ?? []).map((p) => ({
      publicKey: p.publicKey,
      endpoint: null,
      allowedIps: p.allowedIps,
      latestHandshake: this.handshakes.get(p.publicKey) ?? 0,
      rxBytes: this.counters.get(p.publicKey)?.rx ?? 0,
      txBytes: this.counters.get(p.publicKey)?.tx ?? 0,
      persistentKeepalive: null,
    }));
  }
  async health(): Promise<NodeHealthReport> {
    return { health: this.report(), latencyMs: 0, clockSkewMs: 0 };
  }
  async version(): Promise<string> {
    return "scripted";
  }
  async reconcile(): Promise<DriftRepairReport> {
    return { interfaceRestored: false, restored: 0, stray: [], strayRemoved: 0 };
  }
  async removeStrayInterface(): Promise<void> {}
  async strayPeers(): Promise<never[]> {
    return [];
  }
  async strayInterfaceConfig(): Promise<never> {
    throw new Error("a scripted node runs no stray interface");
  }
  async adoptInterface(): Promise<void> {}
  private report(): Health {
    return {
      version: "scripted",
      protocol: "v1",
      uptimeSeconds: 1,
      hostname: "scripted",
      time: Date.now(),
      interfaces: [],
      load: [0, 0, 0],
      memory: { totalBytes: 1, freeBytes: 1, rssBytes: 1 },
    };
  }
}
