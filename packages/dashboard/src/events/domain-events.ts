// The dashboard's domain events: what happened to peers, nodes and pools that someone outside may want
// to hear about (webhooks now, e-mail warnings later). One typed union; each event is published by
// the code where it really happens, only after its change is committed (so no event ever names a
// change that rolled back), and carries the facts a receiver needs without asking back.
import type { AlertEventData, WebhookEvent } from "@wgfleet/core";

/** A peer as events name it. */
export interface PeerEventData {
  peerId: string;
  name: string;
  configuration: string;
  nodeId: string;
  interface: string;
  /** What happened, in words (the lifecycle rule's detail, the fields changed, …). */
  detail?: string;
  /** `peer.updated`: the fields changed, or `enable` / `disable`. */
  changes?: string[];
  /** Who made the change ("admin", "system:quota", …); absent for what a node reported. */
  actor?: string;
}

export interface NodeEventData {
  nodeId: string;
  name: string;
  /** The status before. */
  from: string;
  reason: string | null;
}

export interface DriftEventData {
  nodeId: string;
  name: string;
  interface: string;
  /** Repairs the node counted since its previous health answer (its drift loop's and reconciles'). */
  repairs: number;
}

export interface PoolEventData {
  nodeId: string;
  configuration: string;
  interface: string;
  cidr: string;
  total: number;
  allocated: number;
  utilization: number;
}

interface EventData {
  "peer.created": PeerEventData;
  "peer.updated": PeerEventData;
  "peer.deleted": PeerEventData;
  "peer.expired": PeerEventData;
  "peer.suspended": PeerEventData;
  "peer.quota_warning": PeerEventData;
  "node.online": NodeEventData;
  "node.offline": NodeEventData;
  "node.degraded": NodeEventData;
  "drift.repaired": DriftEventData;
  "pool.almost_full": PoolEventData;
  /** An alert began (src/alerts): once per firing, not again while its condition holds. */
  "alert.firing": AlertEventData;
  /** A firing alert's condition ended: once. */
  "alert.resolved": AlertEventData;
}

// Keeps the union and the API's list of subscribable events the same set.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const sameEvents: Same<keyof EventData, WebhookEvent> = true;
void sameEvents;

/** What a publisher hands in: the type and its data. */
export type NewDomainEvent = { [T in keyof EventData]: { type: T; data: EventData[T] } }[keyof EventData];

/** A published event: stamped with an id (receivers deduplicate by it) and the time it happened. */
export type DomainEvent = NewDomainEvent & { id: string; occurredAt: string };

export type DomainEventType = NewDomainEvent["type"];
