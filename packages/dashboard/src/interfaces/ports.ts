// What interfaces/ needs from the rest of the dashboard, declared here by the consumer so that
// interfaces/ imports neither nodes/ nor configurations/ nor peers/: the composition root passes the
// real objects (NodeTransports, NodeRepository, ConfigurationRepository, AuditService), which fit.
import type { NodeTransport } from "../transport/node-transport.js";

/** The transports of the nodes (nodes/NodeTransports fits). */
export interface NodeTransportSource {
  /** The node's transport; NodeUnavailableError naming `field` when it has none. */
  get(nodeId: string, field?: string): NodeTransport;
  tryGet(nodeId: string): NodeTransport | null;
}

/** Registers transports of nodes another dashboard replica added (nodes/RemoteNodes.ensure). */
export type EnsureTransports = (nodeIds: Iterable<string>) => Promise<void>;

/** What an interface's client endpoint is made of, from its node. */
export interface InterfaceNode {
  id: string;
  name: string;
  endpoint_host: string | null;
  agent_url?: string | null;
}

/** Node rows, read-only (nodes/NodeRepository fits). */
export interface NodeLookup {
  findById(id: string): Promise<InterfaceNode | undefined>;
  list(): Promise<InterfaceNode[]>;
}

/** A configuration an interface belongs to. */
export interface InterfaceConfiguration {
  id: string;
  name: string;
}

/** Configuration rows by name (configurations/ConfigurationRepository fits). */
export interface ConfigurationLookup {
  findByName(name: string): Promise<InterfaceConfiguration | undefined>;
}

/** The audit trail (audit/AuditService fits). */
export interface AuditTrail {
  record(actor: string, action: string, target?: string, details?: object): Promise<void>;
}
