// The rows an adoption writes beyond the interface: its peers (already `active`: they run on the node)
// and their addresses, all in one transaction, so an import that fails halfway leaves no peer behind.
import type { Db } from "../db/index.js";
import type { NewAllocationRow } from "../interfaces/index.js";
import type { NewPeerRow } from "../peers/peer.repository.js";

export class AdoptionRepository {
  constructor(private readonly db: Db) {}

  /** Peer names already used in the configuration (on any node). */
  async namesInConfiguration(configurationId: string): Promise<Set<string>> {
    const rows = await this.db
      .selectFrom("peers as p")
      .innerJoin("interfaces as i", "i.id", "p.interface_id")
      .select("p.name")
      .where("i.configuration_id", "=", configurationId)
      .execute();
    return new Set(rows.map((row) => row.name));
  }

  async insertPeers(peers: NewPeerRow[], allocations: NewAllocationRow[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < peers.length; i += 100) {
        await trx
          .insertInto("peers")
          .values(peers.slice(i, i + 100))
          .execute();
      }
      for (let i = 0; i < allocations.length; i += 200) {
        await trx
          .insertInto("ip_allocations")
          .values(allocations.slice(i, i + 200))
          .execute();
      }
    });
  }
}
