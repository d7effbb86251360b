// GET /v1/health: what the dashboard polls — the agent, the host, and per interface the live state next
// to the desired revision and digest, so drift is visible without downloading every peer.
import { freemem, hostname, loadavg, totalmem } from "node:os";
import { type Health, type InterfaceHealth, PROTOCOL_VERSION, type SuspendedPeer } from "@wgfleet/core";
import type { Capability } from "@wgfleet/wireguard";
import type { AgentService } from "./agent-service.js";

/** A peer counts as active when its latest handshake is at most this old. */
export const ACTIVE_HANDSHAKE_SECONDS = 180;

export interface HealthSource {
  version: string;
  /** This agent's persistent instance id (see identity/instance-id.ts). */
  instanceId: string;
  /** Whether WireGuard can be managed here (a cached real probe). */
  capability(): Promise<Capability>;
  startedAt: number;
  service: AgentService;
}

/** `shared`: the peers may come from a read shared with the requests of the same moment (the pollers'). */
export async function buildHealth(source: HealthSource, shared = false, now = Date.now()): Promise<Health> {
  const interfaces = await Promise.all(
    source.service.interfaceNames().map((name) => interfaceHealth(source.service, name, now, shared)),
  );
  const strayInterfaces = await source.service.strayInterfaces();
  const load = loadavg();
  return {
    version: source.version,
    protocol: PROTOCOL_VERSION,
    uptimeSeconds: Math.max(0, (now - source.startedAt) / 1000),
    hostname: hostname(),
    instanceId: source.instanceId,
    capability: await source.capability(),
    time: now,
    interfaces: interfaces.filter((i): i is InterfaceHealth => i !== null),
    strayInterfaces,
    load: [load[0] ?? 0, load[1] ?? 0, load[2] ?? 0],
    memory: { totalBytes: totalmem(), freeBytes: freemem(), rssBytes: process.memoryUsage.rss() },
  };
}

export async function interfaceHealth(
  service: AgentService,
  name: string,
  now: number,
  shared = false,
): Promise<InterfaceHealth | null> {
  const desired = service.find(name);
  if (!desired) return null;
  const live = await (shared ? service.readLiveShared(name) : service.readLive(name));
  const status = service.statuses.get(name);
  const nowSeconds = Math.floor(now / 1000);
  let activePeers = 0;
  let rxBytes = 0;
  let txBytes = 0;
  const strayPeers: string[] = [];
  const liveKeys = new Set<string>();
  for (const peer of live?.peers ?? []) {
    liveKeys.add(peer.publicKey);
    if (peer.latestHandshake > 0 && nowSeconds - peer.latestHandshake <= ACTIVE_HANDSHAKE_SECONDS)
      activePeers++;
    rxBytes += peer.rxBytes;
    txBytes += peer.txBytes;
    if (desired.peer(peer.publicKey) === undefined) strayPeers.push(peer.publicKey);
  }
  const suspended = service.suspendedPeers(name);
  return {
    name,
    up: live?.up ?? false,
    listenPort: live ? live.listenPort : null,
    // The driver reads an interface without a private key (created, key not yet set) as "": the
    // protocol's "no key" is null, and an empty string would fail the dashboard's schema check.
    publicKey: live?.publicKey ? live.publicKey : null,
    peerCount: live?.peers.length ?? 0,
    activePeers,
    rxBytes,
    txBytes,
    revision: desired.revision,
    digest: desired.digest(),
    lastApplyError: status.lastApplyError,
    driftRepairs: status.driftRepairs,
    strayPeers,
    suspendedPeers: suspended,
    missingPeers: live ? missingPeers(desired.peerList(), liveKeys, suspended) : [],
    lastRepairAt: status.lastRepairAt,
  };
}

/** Desired peers that should be live (not suspended by their access rules) and are not. */
function missingPeers(
  desired: readonly { publicKey: string }[],
  live: ReadonlySet<string>,
  suspended: readonly SuspendedPeer[],
): string[] {
  const off = new Set(suspended.map((peer) => peer.publicKey));
  return desired.filter((p) => !live.has(p.publicKey) && !off.has(p.publicKey)).map((p) => p.publicKey);
}
