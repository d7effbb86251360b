// Ids and names of an interface's peers by public key: what the drift report shows for a missing peer.
import type { Db } from "../db/index.js";

export class DriftPeerNames {
  constructor(private readonly db: Db) {}

  async byKeys(interfaceId: string, keys: string[]): Promise<Map<string, { id: string; name: string }>> {
    const found = new Map<string, { id: string; name: string }>();
    for (let i = 0; i < keys.length; i += 500) {
      const rows = await this.db
        .selectFrom("peers")
        .select(["id", "name", "public_key"])
        .where("interface_id", "=", interfaceId)
        .where("public_key", "in", keys.slice(i, i + 500))
        .execute();
      for (const row of rows) found.set(row.public_key, { id: row.id, name: row.name });
    }
    return found;
  }
}
