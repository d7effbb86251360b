// Keeps NodeTransports in step with the nodes table for remote nodes: one RemoteTransport per node with
// an agent, built from its row (secret decrypted here, held only by the transport's signed client),
// rebuilt when its URL, secret or name changes, dropped when the row is gone (a transport replaced or
// dropped closes its sockets). Another dashboard
// replica's change arrives as a `node` notice (invalidate() reads that row again at once); refresh(),
// which the health poller runs every round, catches anything else. A node whose
// writes are blocked (another agent answers at its URL) keeps the block across rebuilds of its transport.
import type { AgentHttp } from "@wgfleet/agent/client";
import { keyIdForSecret, LOCAL_NODE_ID } from "@wgfleet/core";
import type { NodeSettings } from "../config/node-settings.js";
import type { Logger } from "../logging/logger.js";
import type { CacheInvalidation, InvalidatedCache } from "../replicas/cache-invalidation.js";
import type { SecretBox } from "../secrets/index.js";
import type { NodeTransport } from "../transport/node-transport.js";
import { RemoteTransport } from "../transport/remote-transport.js";
import { isDialOut } from "./dial-out-node.js";
import type { NodeRepository, NodeRow } from "./node.repository.js";
import type { NodeTransports } from "./node-transports.js";

interface Known {
  fingerprint: string;
  transport: RemoteTransport | null;
  /** Key ids a secret rotation in this process left behind: a row read before it still holds one. */
  retired?: Set<string>;
}

export class RemoteNodes implements InvalidatedCache {
  private readonly known = new Map<string, Known>();
  /** Node id → why no change may reach its agent. */
  private readonly blocked = new Map<string, string>();

  constructor(
    private readonly deps: {
      nodes: NodeRepository;
      transports: NodeTransports;
      secrets: SecretBox;
      settings: NodeSettings;
      logger: Logger;
      /** The sockets of agents that dial out: their transports send over these. */
      dialOut?: { httpFor(nodeId: string): AgentHttp };
      /** Where this process's changes to node rows are announced to the other replicas. */
      invalidation?: Pick<CacheInvalidation, "publish">;
    },
  ) {}

  /** This process changed the node's row (committed): the other replicas read it again. */
  announce(nodeId: string): void {
    this.deps.invalidation?.publish("node", nodeId);
  }

  /** Another replica changed the node's row: its transport is rebuilt from the row, or dropped. */
  async invalidate(nodeId: string): Promise<void> {
    if (nodeId === LOCAL_NODE_ID) return;
    const row = await this.deps.nodes.findById(nodeId);
    if (row && row.agent_url !== null) this.register(row);
    else if (this.known.has(nodeId)) this.unregister(nodeId);
  }

  /** Changes may have gone unheard: every remote node's transport is checked against its row. */
  async invalidateAll(): Promise<void> {
    await this.refresh();
  }

  /** The node's transport, built or rebuilt from its row as needed; null when its secret cannot be read. */
  register(row: NodeRow): NodeTransport | null {
    if (row.agent_url === null || row.id === LOCAL_NODE_ID) return null;
    const fingerprint = fingerprintOf(row);
    const existing = this.known.get(row.id);
    if (existing && existing.fingerprint === fingerprint) return existing.transport;
    if (existing?.retired?.has(row.secret_key_id ?? "")) return existing.transport;
    const transport = this.build(row);
    existing?.transport?.close();
    this.known.set(row.id, { fingerprint, transport });
    return transport;
  }

  /** The signed transport of a remote node, for what only an agent does (its secret's rotation). */
  remoteTransport(row: NodeRow): RemoteTransport | null {
    this.register(row);
    return this.known.get(row.id)?.transport ?? null;
  }

  /**
   * The node's row now holds a new secret (a rotation): its transport signs with it from now on, keeping
   * its queue; resolves once the calls sent with the old secret have ended.
   */
  async switchSecret(row: NodeRow, oldKeyId: string): Promise<void> {
    const existing = this.known.get(row.id);
    const transport = existing?.transport;
    if (!existing || !transport || transport.agentUrl !== row.agent_url) {
      this.register(row);
      return;
    }
    const secret = this.deps.secrets.decrypt(row.secret_enc ?? "");
    existing.fingerprint = fingerprintOf(row);
    existing.retired = new Set([...(existing.retired ?? []), oldKeyId]);
    await transport.useSecret(keyIdForSecret(secret), secret);
  }

  /** Refuses every change to the node's agent with this reason (null allows them again). */
  blockWrites(nodeId: string, reason: string | null): void {
    if (reason === null) this.blocked.delete(nodeId);
    else this.blocked.set(nodeId, reason);
    this.known.get(nodeId)?.transport?.blockWrites(reason);
  }

  /**
   * The instance id of the agent at this URL with this secret (its signed health answer), or null when
   * it does not answer or reports none. Nothing is registered.
   */
  async instanceIdAt(agentUrl: string, secret: string): Promise<string | null> {
    const transport = this.transportFor({ id: "probe", name: agentUrl, agentUrl, secret });
    const answer = await transport.health({ retry: false }).catch(() => null);
    transport.close();
    return answer?.health.instanceId ?? null;
  }

  unregister(nodeId: string): void {
    this.known.get(nodeId)?.transport?.close();
    this.known.delete(nodeId);
    this.blocked.delete(nodeId);
    this.deps.transports.unregister(nodeId);
  }

  /** The transport of a registered remote node, or null. */
  get(nodeId: string): NodeTransport | null {
    return this.known.get(nodeId)?.transport ?? null;
  }

  /** Every remote node of the table registered (new and changed rows rebuilt), gone ones dropped. */
  async refresh(): Promise<NodeRow[]> {
    const rows = await this.deps.nodes.listRemote();
    const ids = new Set(rows.map((row) => row.id));
    for (const id of [...this.known.keys()]) if (!ids.has(id)) this.unregister(id);
    for (const row of rows) this.register(row);
    return rows;
  }

  /** Registers the nodes among `nodeIds` this process does not know yet (a node another replica added). */
  async ensure(nodeIds: Iterable<string>): Promise<void> {
    for (const id of nodeIds) {
      if (id === LOCAL_NODE_ID || this.known.has(id)) continue;
      const row = await this.deps.nodes.findById(id);
      if (row) this.register(row);
    }
  }

  private build(row: NodeRow): RemoteTransport | null {
    let secret: string;
    try {
      secret = this.deps.secrets.decrypt(row.secret_enc ?? "");
    } catch {
      const reason = "its secret cannot be decrypted (was the dashboard's at-rest key changed?)";
      this.deps.logger.error({ node: row.id, name: row.name }, `node ${row.name}: ${reason}`);
      this.deps.transports.markUnavailable(row.id, reason);
      return null;
    }
    const transport = this.transportFor({
      id: row.id,
      name: row.name,
      agentUrl: row.agent_url as string,
      secret,
      dialOut: isDialOut(row),
    });
    transport.blockWrites(this.blocked.get(row.id) ?? null);
    this.deps.transports.register(row.id, transport);
    return transport;
  }

  private transportFor(node: {
    id: string;
    name: string;
    agentUrl: string;
    secret: string;
    dialOut?: boolean;
  }): RemoteTransport {
    const settings = this.deps.settings;
    const http = node.dialOut ? this.deps.dialOut?.httpFor(node.id) : undefined;
    return new RemoteTransport({
      nodeId: node.id,
      nodeName: node.name,
      agentUrl: node.agentUrl,
      keyId: keyIdForSecret(node.secret),
      secret: node.secret,
      timeoutMs: settings.agentTimeoutMs,
      healthTimeoutMs: settings.healthTimeoutMs,
      retries: settings.agentRetries,
      backoffMs: settings.retryBackoffMs,
      ...(http ? { http } : {}),
    });
  }
}

/** What the transport is built from; the encrypted secret changes whenever the secret does. */
function fingerprintOf(row: NodeRow): string {
  return [row.agent_url, row.secret_enc, row.name, row.connection].join("\n");
}
