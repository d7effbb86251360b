// Rotating a node's shared secret without downtime (issue 15). Steps, each recorded in
// node_secret_rotations so a restart picks up where it stopped:
//   1. a new secret is made and recorded (state "handing", encrypted like nodes.secret_enc);
//   2. it is handed to the agent over a request signed with the current one (the agent then accepts
//      both key ids, also after its own restart);
//   3. the node's row and the rotation's state ("switched") change in one transaction, and the node's
//      transport signs with the new secret from then on, keeping its queue of changes (other replicas
//      hear of the new row and rebuild theirs);
//   4. once the calls sent with the old secret ended, the agent is asked (signed with the new one) to
//      drop the old; then the record goes.
// A hand-over that fails is rolled back (the agent is handed the old secret again, alone); one a crash
// cut off is finished by `resumePending` (the agent still accepts the old secret, so step 2 can be
// repeated). Peer changes in flight are never refused: until step 4 the agent accepts both secrets.
// The secret is never returned, logged or audited (key ids are: they are 8 hex digits of its hash).
import { randomBytes } from "node:crypto";
import {
  ConflictError,
  keyIdForSecret,
  LOCAL_NODE_ID,
  NotFoundError,
  type RotateSecretDto,
  ValidationError,
} from "@wgfleet/core";
import type { AuditService } from "../audit/index.js";
import { isUniqueViolation } from "../db/index.js";
import type { Logger } from "../logging/logger.js";
import type { NodeRow } from "../nodes/node.repository.js";
import type { SecretBox } from "../secrets/index.js";
import type { RemoteTransport } from "../transport/remote-transport.js";
import type { RotationRepository, RotationRow } from "./rotation.repository.js";

export interface SecretRotationDeps {
  rotations: RotationRepository;
  nodes: { findById(id: string): Promise<NodeRow | undefined> };
  remote: {
    remoteTransport(row: NodeRow): RemoteTransport | null;
    switchSecret(row: NodeRow, oldKeyId: string): Promise<void>;
    /** The row changed (committed): the other replicas read it again. */
    announce(nodeId: string): void;
  };
  secrets: Pick<SecretBox, "encrypt" | "decrypt">;
  audit: Pick<AuditService, "recordEvent">;
  logger: Pick<Logger, "info" | "warn">;
}

/** 256 random bits as base64url: 43 characters, fit for the agent's one-line secret file. */
export function newNodeSecret(): string {
  return randomBytes(32).toString("base64url");
}

export class SecretRotationService {
  /** Node id → the rotation this process runs for it (one at a time per node). */
  private readonly running = new Map<string, Promise<RotateSecretDto>>();

  constructor(private readonly deps: SecretRotationDeps) {}

  /** `POST /api/v1/nodes/:id/rotate-secret`. A rotation a crash cut off is finished first. */
  async rotate(nodeId: string, actor: string): Promise<RotateSecretDto> {
    const row = await this.requireRemote(nodeId);
    if (this.running.has(nodeId))
      throw new ConflictError(`node ${row.name}: its secret is being rotated`, "id");
    const work = this.rotateNow(row);
    this.running.set(nodeId, work);
    try {
      const answer = await work;
      await this.deps.audit.recordEvent(actor, {
        action: "node.rotate-secret",
        target: nodeId,
        details: {
          keyId: answer.keyId,
          oldKeyId: row.secret_key_id,
          previousDropped: answer.previousDropped,
        },
      });
      return answer;
    } finally {
      this.running.delete(nodeId);
    }
  }

  /** Finishes every rotation a restart (or an unreachable agent) left half way; never throws. */
  async resumePending(): Promise<void> {
    for (const rotation of await this.deps.rotations.listPending()) {
      if (this.running.has(rotation.node_id)) continue;
      const work = this.resume(rotation);
      this.running.set(rotation.node_id, work);
      await work
        .then((answer) =>
          this.deps.logger.info({ node: rotation.node_id, ...answer }, "secret rotation finished"),
        )
        .catch((error: Error) =>
          this.deps.logger.warn(
            { node: rotation.node_id, err: { message: error.message } },
            "secret rotation still pending: the node did not answer",
          ),
        )
        .finally(() => this.running.delete(rotation.node_id));
    }
  }

  private async rotateNow(row: NodeRow): Promise<RotateSecretDto> {
    const pending = await this.deps.rotations.find(row.id);
    if (pending) await this.resume(pending);
    const current = (await this.deps.nodes.findById(row.id)) ?? row;
    const secret = newNodeSecret();
    const rotation = {
      node_id: row.id,
      new_key_id: keyIdForSecret(secret),
      new_secret_enc: this.deps.secrets.encrypt(secret),
      old_key_id: current.secret_key_id ?? "",
    };
    try {
      await this.deps.rotations.start(rotation);
    } catch (error) {
      if (isUniqueViolation(error))
        throw new ConflictError(`node ${row.name}: its secret is being rotated`, "id");
      throw error;
    }
    const transport = this.transport(current);
    try {
      await transport.handOverSecret(secret);
    } catch (error) {
      await this.rollBack(current, transport);
      throw error;
    }
    return this.switchAndDrop({ ...rotation, state: "handing", created_at: "", updated_at: "" });
  }

  /** Picks a rotation up where it stopped: hands the secret over again if needed, then steps 3-4. */
  private async resume(rotation: RotationRow): Promise<RotateSecretDto> {
    const row = await this.deps.nodes.findById(rotation.node_id);
    if (!row) throw new NotFoundError(`node ${rotation.node_id}`);
    if (rotation.state === "handing") {
      await this.transport(row).handOverSecret(this.deps.secrets.decrypt(rotation.new_secret_enc));
    }
    return this.switchAndDrop(rotation);
  }

  private async switchAndDrop(rotation: RotationRow): Promise<RotateSecretDto> {
    if (rotation.state === "handing") {
      await this.deps.rotations.switchNode(rotation);
      // The other replicas are told now: they sign with the new secret from their next call, well
      // before the old one is dropped (a call of theirs already under way may still be refused).
      this.deps.remote.announce(rotation.node_id);
    }
    const row = await this.deps.nodes.findById(rotation.node_id);
    if (!row) throw new NotFoundError(`node ${rotation.node_id}`);
    await this.deps.remote.switchSecret(row, rotation.old_key_id);
    const answer = { nodeId: row.id, keyId: rotation.new_key_id };
    try {
      await this.transport(row).dropPreviousSecret();
    } catch (error) {
      // The agent keeps accepting both secrets; the background job asks again.
      this.deps.logger.warn(
        { node: row.id, err: { message: (error as Error).message } },
        "the agent did not drop its previous secret yet; retrying later",
      );
      return { ...answer, previousDropped: false };
    }
    await this.deps.rotations.finish(row.id);
    return { ...answer, previousDropped: true };
  }

  /** The hand-over failed: the agent is handed the old secret alone again; the record goes if it answers. */
  private async rollBack(row: NodeRow, transport: RemoteTransport): Promise<void> {
    try {
      await transport.handOverSecret(this.deps.secrets.decrypt(row.secret_enc ?? ""));
      await this.deps.rotations.finish(row.id);
    } catch {
      // Unreachable: the record stays and resumePending finishes the rotation once the node answers.
    }
  }

  private transport(row: NodeRow): RemoteTransport {
    const transport = this.deps.remote.remoteTransport(row);
    if (!transport)
      throw new ConflictError(`node ${row.name}: its secret cannot be read, so it cannot be rotated`, "id");
    return transport;
  }

  private async requireRemote(nodeId: string): Promise<NodeRow> {
    const row = await this.deps.nodes.findById(nodeId);
    if (!row) throw new NotFoundError(`node ${nodeId}`);
    if (row.id === LOCAL_NODE_ID || row.agent_url === null) {
      throw new ValidationError("id", "the local node has no agent and no secret to rotate");
    }
    return row;
  }
}
