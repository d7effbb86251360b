// The domain events about nodes: a status change (node.online / offline / degraded) as the health
// poller records it, and drift repairs (drift.repaired) — the agent's own loop counts them per
// interface in its health answer, so a count higher than in the previous answer is a repair since.
import type { Health } from "@wgfleet/core";
import type { DomainEventPublisher } from "../events/index.js";
import type { NodeRow, NodeStatus } from "./node.repository.js";

const PUBLISHED_STATUSES = {
  online: "node.online",
  offline: "node.offline",
  degraded: "node.degraded",
} as const;

/** `node.<status>` when the status changed to one of online, offline, degraded. */
export async function publishStatusChange(
  events: DomainEventPublisher | undefined,
  row: Pick<NodeRow, "id" | "name" | "status">,
  status: NodeStatus,
  reason: string | null,
): Promise<void> {
  if (!events || status === row.status || !(status in PUBLISHED_STATUSES)) return;
  const type = PUBLISHED_STATUSES[status as keyof typeof PUBLISHED_STATUSES];
  await events.publish({ type, data: { nodeId: row.id, name: row.name, from: row.status, reason } });
}

/** `drift.repaired` for each interface whose repair count grew since the node's previous answer. */
export async function publishDriftRepairs(
  events: DomainEventPublisher | undefined,
  row: Pick<NodeRow, "id" | "name" | "last_health">,
  health: Pick<Health, "interfaces">,
): Promise<void> {
  if (!events || row.last_health === null) return;
  const before = new Map<string, number>();
  try {
    const previous = JSON.parse(row.last_health) as Pick<Health, "interfaces">;
    for (const iface of previous.interfaces ?? []) before.set(iface.name, iface.driftRepairs);
  } catch {
    return;
  }
  for (const iface of health.interfaces) {
    const earlier = before.get(iface.name);
    // No earlier count (a new interface), or a lower one (the agent restarted): nothing to compare.
    if (earlier === undefined || iface.driftRepairs <= earlier) continue;
    await events.publish({
      type: "drift.repaired",
      data: {
        nodeId: row.id,
        name: row.name,
        interface: iface.name,
        repairs: iface.driftRepairs - earlier,
      },
    });
  }
}
