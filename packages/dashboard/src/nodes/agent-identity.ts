// Which agent a remote node is: the instance id its agent reports in its health answer. The first id
// seen binds the node; another id later means a different agent answers at the node's URL (a wiped or
// replaced machine, or one agent registered twice), so every change to it is refused until an admin
// confirms the new agent. An agent that reports no id (an older release) is never held back.
import type { NodeRow } from "./node.repository.js";

export interface AgentIdentityDeps {
  nodes: {
    bindAgentInstance(id: string, instanceId: string | null): Promise<void>;
    findByAgentInstance(instanceId: string): Promise<NodeRow | undefined>;
  };
  remote: { blockWrites(nodeId: string, reason: string | null): void };
}

export class AgentIdentity {
  constructor(private readonly deps: AgentIdentityDeps) {}

  /**
   * Binds an unbound node to the reported id, and blocks or allows changes to the node's agent. Null
   * when the agent is the node's own; else why changes are refused (the node's status reason).
   */
  async check(row: NodeRow, reported: string | undefined): Promise<string | null> {
    const reason = await this.strangerReason(row, reported);
    this.deps.remote.blockWrites(row.id, reason);
    return reason;
  }

  private async strangerReason(row: NodeRow, reported: string | undefined): Promise<string | null> {
    if (!reported || row.agent_instance_id === reported) return null;
    if (row.agent_instance_id) {
      // No instance ids here: the reason is read by admins; the ids are in the node's health and row.
      return "a different agent answers here (reinstalled, or another machine at this URL); confirm it on the node's page to adopt it";
    }
    const owner = await this.deps.nodes.findByAgentInstance(reported);
    if (owner && owner.id !== row.id) {
      return `its agent is already node "${owner.name}"; one agent must not serve two nodes`;
    }
    await this.deps.nodes.bindAgentInstance(row.id, reported);
    return null;
  }
}
