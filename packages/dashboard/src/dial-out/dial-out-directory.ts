// The nodes an agent may connect as: a node added as one that dials out, found by the key id of its
// current secret (the upgrade request names it), with that secret decrypted to check the signature.
import type { SecretBox } from "../secrets/index.js";
import type { DialOutNodes } from "./agent-connect.js";

export interface DialOutRows {
  findDialOutByKeyId(
    keyId: string,
  ): Promise<{ id: string; name: string; secret_enc: string | null } | undefined>;
  clearDialOutOfGoneReplicas(): Promise<void>;
}

export class DialOutDirectory implements DialOutNodes {
  constructor(
    private readonly rows: DialOutRows,
    private readonly secrets: Pick<SecretBox, "decrypt">,
  ) {}

  async secretByKeyId(keyId: string): Promise<{ nodeId: string; name: string; secret: string } | null> {
    const row = await this.rows.findDialOutByKeyId(keyId);
    if (!row?.secret_enc) return null;
    return { nodeId: row.id, name: row.name, secret: this.secrets.decrypt(row.secret_enc) };
  }

  /** At start: connections recorded for replicas that are gone are forgotten (their agents dial again). */
  forgetGoneReplicas(): Promise<void> {
    return this.rows.clearDialOutOfGoneReplicas();
  }
}
