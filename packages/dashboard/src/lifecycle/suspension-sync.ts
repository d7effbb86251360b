// Brings the peers' suspension columns in line with what a node reports it keeps off the kernel
// (InterfaceHealth.suspendedPeers): a peer newly reported gets its reason and since and a "suspended"
// event; a peer no longer reported is cleared with a "restored" event. Cheap at 10,000 peers per node:
// only the peers stored as suspended are read, the reported keys looked up only when they are new, and
// only changes written. An interface whose health has no suspendedPeers (an agent from before access
// rules) is left as it is.
import type { Health, LifecycleRule, SuspendedPeer, SuspensionReason } from "@wgfleet/core";
import { nowIso } from "../clock.js";
import type { DomainEventPublisher, NewDomainEvent } from "../events/index.js";
import type { NewLifecycleEvent } from "./lifecycle-events.repository.js";
import type {
  StoredSuspension,
  SuspensionChange,
  SuspensionPeer,
  SuspensionRepository,
} from "./suspension.repository.js";

/** A node's interfaces as the database holds them (interfaces/InterfaceRepository fits). */
export interface SuspensionInterfaces {
  listByNode(nodeId: string): Promise<Array<{ id: string; name: string }>>;
}

export interface SuspensionSyncDeps {
  repository: Pick<SuspensionRepository, "suspendedOf" | "byKeys" | "byIds" | "apply">;
  interfaces: SuspensionInterfaces;
  /** `peer.expired` and `peer.suspended` go out here, once the round's changes are stored. */
  events?: DomainEventPublisher;
  now?: () => number;
}

export interface SuspensionSyncReport {
  suspended: number;
  restored: number;
}

const RULE_OF: Record<SuspensionReason, LifecycleRule> = {
  expired: "expiry",
  schedule: "schedule",
  quota: "quota",
};

export class SuspensionSync {
  private readonly now: () => number;

  constructor(private readonly deps: SuspensionSyncDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** One health answer of the node, brought into the peers' rows. */
  async sync(nodeId: string, health: Pick<Health, "interfaces">): Promise<SuspensionSyncReport> {
    const reported = await this.reportedByInterface(nodeId, health);
    if (reported.size === 0) return { suspended: 0, restored: 0 };
    const stored = await this.deps.repository.suspendedOf([...reported.keys()]);
    const changes: SuspensionChange[] = [];
    const events: NewLifecycleEvent[] = [];
    const at = nowIso(this.now());
    let suspended = 0;
    const back: StoredSuspension[] = [];
    const published: NewDomainEvent[] = [];
    for (const [interfaceId, keys] of reported) {
      const storedHere = new Map(
        stored.filter((p) => p.interfaceId === interfaceId).map((p) => [p.publicKey, p]),
      );
      for (const peer of storedHere.values()) if (!keys.has(peer.publicKey)) back.push(peer);
      const fresh = [...keys.values()].filter((s) => storedHere.get(s.publicKey)?.reason !== s.reason);
      if (fresh.length === 0) continue;
      const rows = await this.deps.repository.byKeys(
        interfaceId,
        fresh.map((s) => s.publicKey),
      );
      for (const peer of rows) {
        const report = keys.get(peer.publicKey);
        if (!report) continue;
        const since = nowIso(report.since);
        changes.push({ peerId: peer.id, reason: report.reason, since });
        events.push(suspendedEvent(peer, report.reason, since));
        published.push(suspendedDomainEvent(peer, nodeId, report.reason, events.at(-1)?.detail ?? ""));
        suspended++;
      }
    }
    await this.restore(back, at, changes, events);
    await this.deps.repository.apply(changes, events);
    await this.publish(nodeId, published);
    return { suspended, restored: back.length };
  }

  /** After the transaction: the events, with the interface names the rows know only by id. */
  private async publish(nodeId: string, published: NewDomainEvent[]): Promise<void> {
    if (!this.deps.events || published.length === 0) return;
    const names = new Map((await this.deps.interfaces.listByNode(nodeId)).map((row) => [row.id, row.name]));
    for (const event of published) {
      if ("interface" in event.data) event.data.interface = names.get(event.data.interface) ?? "";
      await this.deps.events.publish(event);
    }
  }

  /** Peers no longer reported: cleared, with a "restored" event by the rule that had suspended them. */
  private async restore(
    back: StoredSuspension[],
    at: string,
    changes: SuspensionChange[],
    events: NewLifecycleEvent[],
  ): Promise<void> {
    if (back.length === 0) return;
    const reasons = new Map(back.map((peer) => [peer.id, peer.reason]));
    for (const peer of await this.deps.repository.byIds([...reasons.keys()])) {
      const reason = reasons.get(peer.id);
      if (!reason) continue;
      changes.push({ peerId: peer.id, reason: null, since: null });
      // A disabled peer is off its node anyway: nothing was restored.
      if (Number(peer.enabled) === 1) events.push(restoredEvent(peer, reason, at));
    }
  }

  /** Interface id → public key → what the node reports, for the node's interfaces that report at all. */
  private async reportedByInterface(
    nodeId: string,
    health: Pick<Health, "interfaces">,
  ): Promise<Map<string, Map<string, SuspendedPeer>>> {
    const reporting = health.interfaces.filter((i) => i.suspendedPeers !== undefined);
    if (reporting.length === 0) return new Map();
    const ours = new Map((await this.deps.interfaces.listByNode(nodeId)).map((row) => [row.name, row.id]));
    const reported = new Map<string, Map<string, SuspendedPeer>>();
    for (const iface of reporting) {
      const id = ours.get(iface.name);
      if (id === undefined) continue;
      reported.set(id, new Map((iface.suspendedPeers ?? []).map((s) => [s.publicKey, s])));
    }
    return reported;
  }
}

/** `interface` holds the interface's id until publish() names it. */
function suspendedDomainEvent(
  peer: SuspensionPeer,
  nodeId: string,
  reason: SuspensionReason,
  detail: string,
): NewDomainEvent {
  return {
    type: reason === "expired" ? "peer.expired" : "peer.suspended",
    data: {
      peerId: peer.id,
      name: peer.name,
      configuration: peer.configurationName,
      nodeId,
      interface: peer.interfaceId,
      detail,
    },
  };
}

function suspendedEvent(peer: SuspensionPeer, reason: SuspensionReason, at: string): NewLifecycleEvent {
  const detail =
    reason === "expired"
      ? `expired${peer.expiresAt ? ` at ${peer.expiresAt}` : ""}: off its interface`
      : reason === "schedule"
        ? "outside its access schedule: off its interface"
        : "traffic budget used up: off its interface";
  return event(peer, "suspended", RULE_OF[reason], at, detail);
}

function restoredEvent(peer: SuspensionPeer, reason: SuspensionReason, at: string): NewLifecycleEvent {
  const detail =
    reason === "expired"
      ? `renewed${peer.expiresAt ? ` until ${peer.expiresAt}` : " without an expiry"}: back on its interface`
      : reason === "schedule"
        ? "inside its access schedule again: back on its interface"
        : "traffic budget renewed: back on its interface";
  return event(peer, "restored", RULE_OF[reason], at, detail);
}

function event(
  peer: SuspensionPeer,
  kind: "suspended" | "restored",
  rule: LifecycleRule,
  at: string,
  detail: string,
): NewLifecycleEvent {
  return {
    peerId: peer.id,
    peerName: peer.name,
    configurationName: peer.configurationName,
    at,
    kind,
    rule,
    detail,
  };
}
