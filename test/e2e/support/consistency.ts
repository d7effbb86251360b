// Does the fleet's WireGuard match the dashboard's database? Every enabled peer of the database live on
// its own node with exactly its addresses, nothing live that the database lacks, no pending peer left,
// no address used twice (in the database or on the nodes), and each pool's allocation count equal to
// the peers that hold an address there. Answers a list of problems, empty when all holds.
import type { Fleet } from "../../fleet/harness.js";
import { type ApiPeer, allocatedByNode, bare, listPeers } from "./e2e-fleet.js";
import { type LiveInterfaceDump, readLiveInterface } from "./live-interface.js";

export interface FleetSnapshot {
  peers: ApiPeer[];
  /** Node id → its interface of the suite's configuration as `wg show dump` reads it (null: not there). */
  live: Map<string, LiveInterfaceDump | null>;
  allocated: Map<string, number>;
}

export async function snapshotFleet(fleet: Fleet): Promise<FleetSnapshot> {
  const peers = await listPeers(fleet.api);
  const live = new Map<string, LiveInterfaceDump | null>();
  for (const node of fleet.nodes) {
    live.set(node.id as string, await readLiveInterface(node, node.interfaceName(0)));
  }
  return { peers, live, allocated: await allocatedByNode(fleet.api, fleet) };
}

export function consistencyProblems(fleet: Fleet, snapshot: FleetSnapshot): string[] {
  const problems: string[] = [];
  for (const peer of snapshot.peers) {
    if (peer.state !== "active") problems.push(`peer ${peer.name} (${peer.id}) is ${peer.state}`);
  }
  for (const node of fleet.nodes) {
    const id = node.id as string;
    const dump = snapshot.live.get(id) ?? null;
    const desired = snapshot.peers.filter((peer) => peer.node === id && peer.enabled);
    if (!dump) {
      problems.push(`${node.name}: interface ${node.interfaceName(0)} is not there`);
      continue;
    }
    const live = new Map(dump.peers.map((peer) => [peer.publicKey, peer]));
    for (const peer of desired) {
      const found = live.get(peer.publicKey);
      if (!found) {
        problems.push(
          `${node.name}: peer ${peer.name} ${peer.addresses.join(",")} is in the database, not live`,
        );
      } else if (!sameSet(found.allowedIps.map(bare), peer.addresses.map(bare))) {
        problems.push(
          `${node.name}: peer ${peer.name} has allowed-ips ${found.allowedIps.join(",")} live, ${peer.addresses.join(",")} in the database`,
        );
      }
    }
    const known = new Set(desired.map((peer) => peer.publicKey));
    for (const peer of dump.peers) {
      if (!known.has(peer.publicKey)) {
        problems.push(
          `${node.name}: live peer ${peer.publicKey} (${peer.allowedIps.join(",")}) is not an enabled peer of the node in the database`,
        );
      }
    }
    const holding = snapshot.peers.filter((peer) => peer.node === id).length;
    const allocated = snapshot.allocated.get(id) ?? 0;
    if (allocated !== holding) {
      problems.push(`${node.name}: ${allocated} addresses allocated in its pool, ${holding} peers hold one`);
    }
  }
  problems.push(
    ...duplicates(snapshot.peers.flatMap((peer) => peer.addresses.map(bare))).map(
      (address) => `address ${address} is held by two peers in the database`,
    ),
  );
  const liveAddresses = [...snapshot.live.values()].flatMap(
    (dump) => dump?.peers.flatMap((peer) => peer.allowedIps.map(bare)) ?? [],
  );
  problems.push(
    ...duplicates(liveAddresses).map((address) => `address ${address} is live on two peers of the fleet`),
  );
  return problems;
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && [...a].sort().join() === [...b].sort().join();
}

function duplicates(values: string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) twice.add(value);
    seen.add(value);
  }
  return [...twice];
}
