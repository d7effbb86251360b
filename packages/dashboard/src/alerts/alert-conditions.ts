// Which alert conditions hold now, from facts the engine gathered: pure, so each rule and threshold is
// tested without a database. A condition is keyed by kind and subject; the engine fires one alert per
// key that starts holding and resolves it once the key is gone.
import type { AlertKind, AlertSettings } from "@wgfleet/core";
import type { HandshakeFact, NodeFact } from "./alert-facts.repository.js";

export interface AlertCondition {
  kind: AlertKind;
  subject: string;
  summary: string;
  details: Record<string, unknown>;
}

export interface PoolFact {
  nodeId: string;
  nodeName: string;
  interfaceId: string;
  interface: string;
  configuration: string;
  pool: string;
  total: number;
  used: number;
}

export interface AlertFacts {
  nodes: NodeFact[];
  pools: PoolFact[];
  /** Node id → drift repairs it reported in the last hour. */
  driftRepairs: Map<string, number>;
  handshakes: HandshakeFact;
}

export function conditionsOf(facts: AlertFacts, settings: AlertSettings): AlertCondition[] {
  return [
    ...nodeConditions(facts.nodes),
    ...poolConditions(facts.pools, settings),
    ...driftConditions(facts, settings),
    ...handshakeConditions(facts.handshakes, settings),
  ];
}

export const conditionKey = (c: { kind: string; subject: string }): string => `${c.kind} ${c.subject}`;

function nodeConditions(nodes: NodeFact[]): AlertCondition[] {
  const conditions: AlertCondition[] = [];
  for (const node of nodes) {
    // A node an admin turned off is not polled: it raises nothing.
    if (!node.enabled) continue;
    if (node.status !== "offline" && node.status !== "degraded") continue;
    const kind = node.status === "offline" ? "node.offline" : "node.degraded";
    // The poller's reason may already start with the status ("offline: …"): said once is enough.
    const reason = node.reason?.startsWith(`${node.status}: `)
      ? node.reason.slice(node.status.length + 2)
      : node.reason;
    const why = reason ? `: ${reason}` : "";
    conditions.push({
      kind,
      subject: node.id,
      summary: `node ${node.name} is ${node.status}${why}`,
      details: { nodeId: node.id, node: node.name, reason: node.reason },
    });
  }
  return conditions;
}

function poolConditions(pools: PoolFact[], settings: AlertSettings): AlertCondition[] {
  return pools
    .filter((pool) => pool.total > 0 && (pool.used / pool.total) * 100 >= settings.poolFullPercent)
    .map((pool) => {
      const percent = Math.round((pool.used / pool.total) * 1000) / 10;
      return {
        kind: "pool.full",
        subject: `${pool.interfaceId}/${pool.pool}`,
        summary: `pool ${pool.pool} of ${pool.interface} on ${pool.nodeName} is ${percent} % used (${pool.used} of ${pool.total})`,
        details: {
          nodeId: pool.nodeId,
          node: pool.nodeName,
          configuration: pool.configuration,
          interface: pool.interface,
          pool: pool.pool,
          used: pool.used,
          total: pool.total,
          thresholdPercent: settings.poolFullPercent,
        },
      };
    });
}

function driftConditions(facts: AlertFacts, settings: AlertSettings): AlertCondition[] {
  const names = new Map(facts.nodes.map((node) => [node.id, node.name]));
  const conditions: AlertCondition[] = [];
  for (const [nodeId, repairs] of facts.driftRepairs) {
    if (repairs < settings.driftRepairsPerHour) continue;
    const name = names.get(nodeId) ?? nodeId;
    conditions.push({
      kind: "drift.repairs",
      subject: nodeId,
      summary: `node ${name} repaired drift ${repairs} times in the last hour`,
      details: { nodeId, node: name, repairs, threshold: settings.driftRepairsPerHour },
    });
  }
  return conditions;
}

/**
 * Only peers that have had a handshake count: a peer whose config was never loaded has none, and a
 * fleet of freshly created peers is not an outage. "For 3 minutes" is WireGuard's own rhythm: a live
 * tunnel re-handshakes every 2 minutes.
 */
function handshakeConditions(handshakes: HandshakeFact, settings: AlertSettings): AlertCondition[] {
  if (handshakes.withHandshake === 0) return [];
  const percent = (handshakes.stale / handshakes.withHandshake) * 100;
  if (percent <= settings.staleHandshakePercent) return [];
  return [
    {
      kind: "handshakes.stale",
      subject: "fleet",
      summary: `${handshakes.stale} of ${handshakes.withHandshake} peers have had no handshake for 3 minutes`,
      details: {
        stale: handshakes.stale,
        withHandshake: handshakes.withHandshake,
        thresholdPercent: settings.staleHandshakePercent,
      },
    },
  ];
}
