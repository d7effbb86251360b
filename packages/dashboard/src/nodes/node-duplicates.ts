// One agent, one node: a node is refused (409 on agentUrl, naming the node that has it) when another
// node has the same agent URL (spellings compared normalised: scheme and host lower case, default port
// dropped, no trailing slash) or its agent reports an instance id another node is bound to.
import { ConflictError } from "@wgfleet/core";
import type { NodeRow } from "./node.repository.js";
import { validateAgentUrl } from "./node-input.js";

export interface DuplicateStore {
  listRemote(): Promise<NodeRow[]>;
  findByAgentInstance(instanceId: string): Promise<NodeRow | undefined>;
}

/** The URL in the form nodes are compared by ("HTTP://Node1:80/" → "http://node1"). */
export function normaliseAgentUrl(url: string): string {
  try {
    return validateAgentUrl(url);
  } catch {
    return url;
  }
}

/** Refuses a node whose agent URL another node (not `selfId`) already has. */
export async function refuseSameAgentUrl(store: DuplicateStore, agentUrl: string, selfId?: string) {
  const wanted = normaliseAgentUrl(agentUrl);
  const rows = await store.listRemote();
  const owner = rows.find((row) => row.id !== selfId && normaliseAgentUrl(row.agent_url ?? "") === wanted);
  if (owner) {
    throw new ConflictError(
      `the agent at ${wanted} is already node "${owner.name}" (${owner.id}); one agent serves one node`,
      "agentUrl",
    );
  }
}

/** Refuses a node whose agent (its instance id) another node (not `selfId`) is bound to. */
export async function refuseSameAgentInstance(
  store: DuplicateStore,
  instanceId: string | null,
  selfId?: string,
): Promise<void> {
  if (!instanceId) return;
  const owner = await store.findByAgentInstance(instanceId);
  if (owner && owner.id !== selfId) {
    throw new ConflictError(
      `the agent at this URL (instance ${instanceId}) is already node "${owner.name}" (${owner.id}); one agent serves one node`,
      "agentUrl",
    );
  }
}
