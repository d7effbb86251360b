// interfaces/ owns per-interface state; other folders use it through this file (peers/, configurations/
// do; nodes/ and stats/ still import a few of its files directly). Its surface:
// - InterfaceRevisions: `change(ifaceId, (trx, revision) => …)` bumps the revision first in one
//   transaction (the interface row's lock serialises changes of one interface); `next(ifaceId)`.
// - AddressPools + AllocationRepository: in-memory allocators over `ip_allocations` — `prepare`,
//   `lease(…, trx)` → AddressLease (commit/abort), `announce(trx, ifaceId, { taken, released })` (the
//   other replicas hear it if trx commits), `reload`, `markStale`, `releaseAllocations(iface, rows)`,
//   `stats`, `exhaustedInterfaces`; the table's rows: `insertIfFree`, `ofPeer`, `deleteOfPeer`.
// - DesiredStates: `of(iface)` builds the InterfaceState from the database, `push(iface)` applies it
//   whole on the node, `interfaceSpec(iface)`; `peerSpecOf(row, secrets)` is what a node is told of a peer.
// - InterfaceService: `addToNode`, `removeFromNode`, `deleteInterface(iface, force)` (node first,
//   then the row; everything under it goes by cascade), `desiredState`/`pushFullState` (DesiredStates),
//   `endpointOf`/`endpointFor`, `viewsOfConfiguration`.
// - CachedInterfaces: a configuration's interfaces from a per-process copy (StableInterfaceRow:
//   without revision and updated_at), dropped by `configuration` notices.
// - InterfaceRepository (rows, peer counts), poolsOf/InterfacePool, and the ports it needs from others
//   (NodeTransportSource, EnsureTransports, NodeLookup, ConfigurationLookup, AuditTrail).
// interfaces/ imports neither peers/ nor nodes/.
export { type AddressLease, AddressPools, canFill } from "./address-pools.js";
export { type Allocation, AllocationRepository, type NewAllocationRow } from "./allocation.repository.js";
export { CachedInterfaces, type StableInterfaceRow } from "./cached-interfaces.js";
export { DesiredStates } from "./desired-state.js";
export { type InterfaceView, toInterfaceView } from "./interface.mapper.js";
export {
  type InterfacePeerCounts,
  InterfaceRepository,
  type InterfaceRow,
  type ListedInterface,
  type PeerSpecRow,
} from "./interface.repository.js";
export { InterfaceService, type InterfaceServiceDeps } from "./interface.service.js";
export { describePool, type InterfacePool, interfaceAddresses, poolsOf } from "./interface-pools.js";
export { InterfaceRevisions } from "./interface-revision.js";
export { peerSpecOf, serverAllowedIps } from "./peer-spec.js";
export type {
  AuditTrail,
  ConfigurationLookup,
  EnsureTransports,
  InterfaceNode,
  NodeLookup,
  NodeTransportSource,
} from "./ports.js";
