// `POST /api/v1/nodes/:id/test`: whether a node's URL, secret, clock and version are right. A remote
// node is diagnosed step by step (node-diagnosis.ts); the local node answers through its transport.
// Never changes anything; the decrypted secret goes only into the diagnosis' signed client.
import type { AgentHttp } from "@wgfleet/agent/client";
import { keyIdForSecret, LOCAL_NODE_ID, NodeUnavailableError, NotFoundError } from "@wgfleet/core";
import type { NodeSettings } from "../config/node-settings.js";
import type { SecretBox } from "../secrets/index.js";
import type { NodeTransport } from "../transport/node-transport.js";
import { isDialOut } from "./dial-out-node.js";
import { type NodeTestDto, toNodeTestDto } from "./node.mapper.js";
import type { NodeRow } from "./node.repository.js";
import { blankDiagnosis, diagnoseAgent, type NodeDiagnosis } from "./node-diagnosis.js";

/** The local node's transport, or why there is none. */
export interface TestTransports {
  tryGet(nodeId: string): NodeTransport | null;
  unavailableReason(nodeId: string): string | null;
}

export interface NodeTestDeps {
  nodes: { findById(id: string): Promise<NodeRow | undefined> };
  secrets: Pick<SecretBox, "decrypt">;
  transports: TestTransports;
  settings: Pick<NodeSettings, "agentTimeoutMs" | "maxClockSkewMs">;
  /** The dashboard's release, compared with the agent's. */
  version: string;
  /** Agents that dial out are tested over their socket. */
  dialOut?: { httpFor(nodeId: string): AgentHttp };
}

export class NodeTestService {
  constructor(private readonly deps: NodeTestDeps) {}

  async test(id: string): Promise<NodeTestDto> {
    const row = await this.deps.nodes.findById(id);
    if (!row) throw new NotFoundError(`node ${id}`);
    if (row.id === LOCAL_NODE_ID) return toNodeTestDto(await this.testLocal());
    let secret: string;
    try {
      secret = this.deps.secrets.decrypt(row.secret_enc ?? "");
    } catch {
      throw new NodeUnavailableError(
        `node ${row.name}: its secret cannot be decrypted (was the at-rest key changed?)`,
      );
    }
    const dialOut = isDialOut(row);
    const http = dialOut ? this.deps.dialOut?.httpFor(row.id) : undefined;
    const diagnosis = await diagnoseAgent(
      { agentUrl: row.agent_url as string, keyId: keyIdForSecret(secret), secret, dialOut },
      {
        timeoutMs: this.deps.settings.agentTimeoutMs,
        maxClockSkewMs: this.deps.settings.maxClockSkewMs,
        dashboardVersion: this.deps.version,
        ...(http ? { http } : {}),
      },
    );
    return toNodeTestDto(diagnosis);
  }

  private async testLocal(): Promise<NodeDiagnosis> {
    const transport = this.deps.transports.tryGet(LOCAL_NODE_ID);
    const base = blankDiagnosis(this.deps.version);
    if (!transport) {
      const reason = this.deps.transports.unavailableReason(LOCAL_NODE_ID) ?? "no transport";
      return { ...base, problem: "unreachable", message: `the local node is unavailable: ${reason}` };
    }
    const { health, latencyMs, clockSkewMs } = await transport.health();
    return {
      ...base,
      ok: true,
      url: "ok",
      secret: "ok",
      clock: "ok",
      version: "ok",
      latencyMs,
      clockSkewMs,
      agentVersion: health.version,
      protocol: health.protocol,
      hostname: health.hostname,
      message: `the local node runs in the dashboard (${health.interfaces.length} interface(s))`,
    };
  }
}
