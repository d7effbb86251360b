// A peer's name is how admins tell peers apart (tables, config file names, QR pages), so within one
// configuration no two peers share a name, whatever the case ("Ana" and "ana" are the same person).
// Checked by the service in the transaction that writes the name; the peers table cannot hold the
// rule itself, as the configuration is the interface's column, not the peer's.
import { ConflictError } from "@wgfleet/core";
import type { Db } from "../db/index.js";
import type { PeerRepository } from "./peer.repository.js";

export async function refuseTakenName(
  peers: Pick<PeerRepository, "nameTaken">,
  configurationId: string,
  name: string,
  exceptId?: string,
  db?: Db,
): Promise<void> {
  if (await peers.nameTaken(configurationId, name, exceptId, db)) {
    throw new ConflictError(`a peer named "${name}" already exists in this configuration`, "name");
  }
}
