// What the health poller (node-health.ts) needs of the rest of the dashboard, declared by it: the
// composition root passes the real repositories and services, which fit.
import type { Health, InterfaceState } from "@wgfleet/core";
import type { NodeSettings } from "../config/node-settings.js";
import type { DomainEventPublisher } from "../events/index.js";
import type { InterfaceRow } from "../interfaces/interface.repository.js";
import type { Logger } from "../logging/logger.js";
import type { NodeTransport } from "../transport/node-transport.js";
import type { AgentIdentity } from "./agent-identity.js";
import type { HealthRecord, NodeRow, NodeStatus } from "./node.repository.js";

/** What the poller writes about a node (its row). */
export interface HealthNodeStore {
  setStatus(id: string, status: NodeStatus, reason: string | null): Promise<void>;
  recordHealth(id: string, record: HealthRecord): Promise<void>;
  recordFailure(id: string, offlineAfter: number, reason: (failures: number) => string): Promise<number>;
}

/** The remote nodes and their transports, in step with the table. */
export interface HealthNodeRegistry {
  refresh(): Promise<NodeRow[]>;
  /** The node's transport, or null when it cannot be built (its secret unreadable). */
  register(row: NodeRow): NodeTransport | null;
}

/** A node's interfaces as the database holds them. */
export interface HealthInterfaceStore {
  listByNode(nodeId: string): Promise<InterfaceRow[]>;
  findById(id: string): Promise<InterfaceRow | undefined>;
  raiseRevision(id: string, revision: number): Promise<void>;
}

/** An interface's desired state, and pushing all of it to its node. */
export interface HealthDesiredState {
  desiredState(iface: InterfaceRow): Promise<InterfaceState>;
  pushFullState(iface: InterfaceRow): Promise<void>;
}

/** Settling peers a crash left pending, and bringing a whole node in line. */
export interface HealthNodeSync {
  syncNode(nodeId: string): Promise<unknown>;
  settlePending(
    iface: InterfaceRow,
    options: { createdBefore?: string },
  ): Promise<{ active: number; removed: number }>;
}

/** The peers a node reports it keeps off the kernel, brought into the database (lifecycle/SuspensionSync). */
export interface HealthSuspensions {
  sync(nodeId: string, health: Pick<Health, "interfaces">): Promise<unknown>;
}

export interface NodeHealthDeps {
  nodes: HealthNodeStore;
  remote: HealthNodeRegistry;
  interfaces: HealthInterfaceStore;
  interfaceService: HealthDesiredState;
  nodeSync: HealthNodeSync;
  identity: Pick<AgentIdentity, "check">;
  suspensions?: HealthSuspensions;
  /** Records when each stray or missing peer and stray interface the answer shows was first seen (drift/). */
  drift?: { observe(nodeId: string, health: Health): Promise<void> };
  /** Status changes and drift repairs go out here (nodes/node-events.ts). */
  events?: DomainEventPublisher;
  settings: NodeSettings;
  logger: Logger;
  now?: () => number;
}
