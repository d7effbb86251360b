// The alert engine: on each tick (the health poller's interval) it gathers the facts (node status, pool
// use, drift repairs in the last hour, stale handshakes), decides which conditions hold, fires an alert
// for each condition that started and resolves each firing alert whose condition ended — one firing
// and one resolution per episode, never a duplicate while a condition holds (the alerts table's unique
// index guards this across replicas too). It also records each pool's hourly use for the forecast and
// mirrors the facts into the Prometheus registry. It never changes anything outside its own tables.
import { randomUUID } from "node:crypto";
import type { AlertEventData } from "@wgfleet/core";
import { type Clock, nowIso, systemClock } from "../clock.js";
import type { DomainEvent, DomainEventPublisher } from "../events/index.js";
import { type AddressPools, canFill, type InterfaceRow, poolsOf } from "../interfaces/index.js";
import type { Logger } from "../logging/logger.js";
import { alertEventData } from "./alert.mapper.js";
import type { AlertRepository, AlertRow } from "./alert.repository.js";
import {
  type AlertCondition,
  type AlertFacts,
  conditionKey,
  conditionsOf,
  type PoolFact,
} from "./alert-conditions.js";
import type { AlertFactsRepository } from "./alert-facts.repository.js";
import type { AlertMetrics } from "./alert-metrics.js";
import { hourOf } from "./pool-forecast.js";

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
/** WireGuard re-handshakes every 2 minutes on a live tunnel: 3 minutes without one is a lost tunnel. */
export const STALE_HANDSHAKE_MS = 3 * 60 * 1000;
const PRUNE_EVERY_MS = HOUR_MS;

export interface AlertEngineDeps {
  alerts: AlertRepository;
  facts: AlertFactsRepository;
  interfaces: { listAll(): Promise<InterfaceRow[]> };
  configurations: { list(): Promise<Array<{ id: string; name: string }>> };
  pools: Pick<AddressPools, "stats">;
  events?: DomainEventPublisher;
  metrics?: AlertMetrics;
  logger: Pick<Logger, "info">;
  clock?: Clock;
}

export interface EvaluationReport {
  fired: AlertRow[];
  resolved: AlertRow[];
  firing: number;
}

export class AlertEngine {
  private readonly clock: Clock;
  private lastPrune = 0;

  constructor(private readonly deps: AlertEngineDeps) {
    this.clock = deps.clock ?? systemClock;
  }

  /** Heard from the bus: a node's drift repairs are stored, so repairs per hour can be counted. */
  async onEvent(event: DomainEvent): Promise<void> {
    if (event.type !== "drift.repaired") return;
    await this.deps.alerts.recordDriftRepairs(event.data.nodeId, event.occurredAt, event.data.repairs);
    this.deps.metrics?.driftRepaired(event.data.nodeId, event.data.repairs);
  }

  /** One tick: facts gathered, alerts fired and resolved, pool use recorded, metrics set. */
  async evaluate(): Promise<EvaluationReport> {
    const now = this.clock.now();
    const facts = await this.gather(now);
    const settings = await this.deps.alerts.settings();
    const holding = new Map(conditionsOf(facts, settings).map((c) => [conditionKey(c), c]));
    const firing = await this.deps.alerts.firing();
    const firingKeys = new Set(firing.map(conditionKey));
    const resolved: AlertRow[] = [];
    for (const row of firing) {
      if (holding.has(conditionKey(row))) continue;
      if (await this.resolve(row, nowIso(now))) resolved.push(row);
    }
    const fired: AlertRow[] = [];
    for (const [key, condition] of holding) {
      if (firingKeys.has(key)) continue;
      const row = await this.fire(condition, nowIso(now));
      if (row) fired.push(row);
    }
    await this.recordPoolUsage(facts.pools, now);
    this.deps.metrics?.update(facts);
    await this.prune(now);
    return { fired, resolved, firing: firing.length - resolved.length + fired.length };
  }

  private async gather(now: number): Promise<AlertFacts> {
    const [nodes, driftRepairs, handshakes] = await Promise.all([
      this.deps.facts.nodes(),
      this.deps.alerts.driftRepairsSince(nowIso(now - HOUR_MS)),
      this.deps.facts.handshakes(nowIso(now - STALE_HANDSHAKE_MS)),
    ]);
    return {
      nodes,
      driftRepairs,
      handshakes,
      pools: await this.poolFacts(new Map(nodes.map((n) => [n.id, n.name]))),
    };
  }

  /** Every pool that can fill (IPv6 /64s never do) of every interface, with its use now. */
  private async poolFacts(nodeNames: Map<string, string>): Promise<PoolFact[]> {
    const [interfaces, configurations] = await Promise.all([
      this.deps.interfaces.listAll(),
      this.deps.configurations.list(),
    ]);
    const configurationNames = new Map(configurations.map((c) => [c.id, c.name]));
    const facts: PoolFact[] = [];
    for (const iface of interfaces) {
      for (const pool of poolsOf(iface).filter(canFill)) {
        const stats = await this.deps.pools.stats(iface.id, pool);
        facts.push({
          nodeId: iface.node_id,
          nodeName: nodeNames.get(iface.node_id) ?? iface.node_id,
          interfaceId: iface.id,
          interface: iface.name,
          configuration: configurationNames.get(iface.configuration_id) ?? "",
          pool: pool.key,
          total: Number(stats.total),
          used: Number(stats.allocated),
        });
      }
    }
    return facts;
  }

  private async fire(condition: AlertCondition, at: string): Promise<AlertRow | null> {
    const row: AlertRow = {
      id: randomUUID(),
      kind: condition.kind,
      subject: condition.subject,
      state: "firing",
      fired_at: at,
      resolved_at: null,
      details: JSON.stringify({ summary: condition.summary, ...condition.details }),
    };
    if (!(await this.deps.alerts.fire(row))) return null;
    this.deps.logger.info(
      { alert: row.kind, subject: row.subject, summary: condition.summary },
      "alert firing",
    );
    await this.deps.events?.publish({ type: "alert.firing", data: alertEventData(row) });
    return row;
  }

  private async resolve(row: AlertRow, at: string): Promise<boolean> {
    if (!(await this.deps.alerts.resolve(row.id, at))) return false;
    const data: AlertEventData = alertEventData({ ...row, state: "resolved", resolved_at: at });
    this.deps.logger.info({ alert: row.kind, subject: row.subject }, "alert resolved");
    await this.deps.events?.publish({ type: "alert.resolved", data });
    return true;
  }

  private async recordPoolUsage(pools: PoolFact[], now: number): Promise<void> {
    const hour = hourOf(now);
    for (const pool of pools)
      await this.deps.alerts.recordPoolUsage(pool.interfaceId, pool.pool, hour, pool.used);
  }

  private async prune(now: number): Promise<void> {
    if (now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    await this.deps.alerts.prune({
      driftRepairs: nowIso(now - DAY_MS),
      poolUsage: nowIso(now - 8 * DAY_MS),
      resolvedAlerts: nowIso(now - 30 * DAY_MS),
    });
  }
}
