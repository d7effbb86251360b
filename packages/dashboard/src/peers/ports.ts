// What peers/ needs from the rest of the dashboard, declared by the consumer: the composition root
// passes the real objects (nodes/InterfaceSelector, ConfigurationRepository, InterfaceRepository,
// AuditService), which fit. peers/ imports interfaces/ (per-interface state) and never nodes/.
import type { NodeCandidate } from "@wgfleet/core";
import type { AuditEvent, AuditScope } from "../audit/audit-scope.js";
import type { ConfigurationRow } from "../configurations/configuration.repository.js";
import type { Db } from "../db/index.js";
import type { InterfaceRow, StableInterfaceRow } from "../interfaces/index.js";

/** Chooses the interface (and so the node) of a new peer: `node` is a node id or "auto". */
export interface PeerPlacement {
  choose<T extends StableInterfaceRow>(candidates: T[], node: string): Promise<T>;
  /** The candidates' nodes as `auto` sees them now, to play the selection forward for many peers. */
  selectionInput(
    candidates: StableInterfaceRow[],
  ): Promise<{ remote: NodeCandidate[]; local: NodeCandidate | null }>;
}

/** Which of these names (lower-cased) peers of the configuration already have, ignoring case. */
export interface PeerNames {
  namesTaken(configurationId: string, names: readonly string[], db?: Db): Promise<Set<string>>;
}

export interface PeerConfigurations {
  findById(id: string): Promise<ConfigurationRow | undefined>;
  findByName(name: string): Promise<ConfigurationRow | undefined>;
}

export interface PeerInterfaces {
  findById(id: string): Promise<InterfaceRow | undefined>;
  /** From a copy (interfaces/CachedInterfaces): no revision, which changes with every peer. */
  listByConfiguration(configurationId: string): Promise<StableInterfaceRow[]>;
  /** Whether any interface, on any node, has this public key. */
  publicKeyInUse(publicKey: string): Promise<boolean>;
}

/** The audit trail; `db` records inside the caller's transaction. */
export interface PeerAudit {
  record(actor: string, action: string, target?: string, details?: object, db?: Db): Promise<void>;
  recordEvent(actor: string, event: AuditEvent, db?: Db): Promise<void>;
  recordInScope(scope: AuditScope | undefined, actor: string, event: AuditEvent, db?: Db): Promise<void>;
}
