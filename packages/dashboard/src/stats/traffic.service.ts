// The traffic read model behind `GET /api/v1/stats/traffic`: "now" from the poller's in-memory rates,
// "today" and the optional series from the stored sample buckets, for the fleet and per node, and with
// `scope` the history of one peer, interface, node, configuration or the fleet (traffic-history.service).
// Reads only; the poller (stats.service.ts) and the rollup job write.
import { LOCAL_NODE_ID, NotFoundError, type TrafficDto, ValidationError } from "@wgfleet/core";
import { nowIso } from "../clock.js";
import type { StatsSettings } from "../config/stats-settings.js";
import type { StatsNodesRepository } from "./stats-nodes.repository.js";
import { toTrafficDto } from "./traffic.mapper.js";
import type { TrafficHistoryQuery, TrafficHistoryService } from "./traffic-history.service.js";
import { type Rate, SAMPLE_BUCKET_MS, type TrafficRates } from "./traffic-rates.js";
import type { ByteTotals, TrafficSamplesRepository } from "./traffic-samples.repository.js";

export interface TrafficQuery {
  /** One node's traffic only. */
  node?: string;
  /** ISO-8601 time "today" starts at (the caller's local midnight); the server's when not given. */
  todayStart?: string;
  /** Also the sample buckets since todayStart. */
  series?: boolean;
  /** With scope: also the history asked for (id, from, to, step as TrafficHistoryQuery). */
  scope?: TrafficHistoryQuery["scope"];
  id?: string;
  from?: string;
  to?: string;
  step?: TrafficHistoryQuery["step"];
}

/** How far back a caller's "today" may start (a day plus every time zone's offset). */
const MAX_TODAY_SPAN_MS = 48 * 60 * 60 * 1000;
/** A caller's clock may run a little ahead of ours. */
const CLOCK_SLACK_MS = 5 * 60 * 1000;

/** The stores the traffic read model reads (the composition root passes the repositories). */
export interface TrafficStores {
  samples: Pick<TrafficSamplesRepository, "series" | "totalsByNode">;
  nodes: Pick<StatsNodesRepository, "exists" | "statuses">;
}

export class TrafficService {
  private readonly samples: TrafficStores["samples"];
  private readonly nodes: TrafficStores["nodes"];
  private readonly now: () => number;

  constructor(
    private readonly deps: TrafficStores & {
      rates: TrafficRates;
      settings: StatsSettings;
      history?: TrafficHistoryService;
      now?: () => number;
    },
  ) {
    this.samples = deps.samples;
    this.nodes = deps.nodes;
    this.now = deps.now ?? Date.now;
  }

  async traffic(query: TrafficQuery = {}): Promise<TrafficDto> {
    const nowMs = this.now();
    const todayStart = resolveTodayStart(query.todayStart, nowMs);
    const node = query.node;
    if (node !== undefined && !(await this.nodes.exists(node))) throw new NotFoundError(`node ${node}`);
    const [history, nodeIds, totals, series] = await Promise.all([
      this.history(query),
      node === undefined ? this.nodeIds() : [node],
      this.samples.totalsByNode(todayStart, node),
      query.series ? this.samples.series(todayStart, node) : undefined,
    ]);
    // A rate goes stale when its interface's polls stop (node skipped, read failing, dashboard busy).
    const rates = this.deps.rates.current(nowMs, 3 * this.deps.settings.intervalMs);
    const ratesShown =
      node === undefined ? [...rates.byNode.values()] : [rates.byNode.get(node) ?? ZERO_RATE];
    return toTrafficDto({
      node: node ?? null,
      at: nowIso(nowMs),
      todayStart,
      measuredAt: rates.measuredAt === null ? null : nowIso(rates.measuredAt),
      sampleSeconds: SAMPLE_BUCKET_MS / 1000,
      // The fleet's totals include nodes deleted since (their traffic still flowed today).
      now: sumRates(ratesShown),
      today: sumTotals([...totals.values()]),
      nodes: nodeIds.map((id) => ({
        nodeId: id,
        now: rates.byNode.get(id) ?? ZERO_RATE,
        today: totals.get(id) ?? ZERO_TOTALS,
      })),
      ...(series ? { series } : {}),
      ...(history ? { history } : {}),
    });
  }

  private history(query: TrafficQuery) {
    if (query.scope === undefined) return undefined;
    if (!this.deps.history) throw new Error("traffic history is not wired");
    const { scope, id, from, to, step } = query;
    return this.deps.history.history({ scope, id, from, to, step });
  }

  /** Every node, the local one first. */
  private async nodeIds(): Promise<string[]> {
    const ids = (await this.nodes.statuses()).map((row) => row.id);
    return [...ids.filter((id) => id === LOCAL_NODE_ID), ...ids.filter((id) => id !== LOCAL_NODE_ID)];
  }
}

const ZERO_RATE: Rate = { rxBytesPerSecond: 0, txBytesPerSecond: 0 };
const ZERO_TOTALS: ByteTotals = { rxBytes: 0, txBytes: 0 };

/** The caller's start of today, checked; else the server's local midnight. */
export function resolveTodayStart(text: string | undefined, nowMs: number): string {
  if (text === undefined) {
    const midnight = new Date(nowMs);
    midnight.setHours(0, 0, 0, 0);
    return midnight.toISOString();
  }
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new ValidationError("todayStart", "expected an ISO-8601 time");
  if (ms > nowMs + CLOCK_SLACK_MS || nowMs - ms > MAX_TODAY_SPAN_MS) {
    throw new ValidationError("todayStart", "must lie within the last 48 hours");
  }
  return nowIso(ms);
}

function sumRates(rates: Rate[]): Rate {
  return rates.reduce(
    (sum, r) => ({
      rxBytesPerSecond: sum.rxBytesPerSecond + r.rxBytesPerSecond,
      txBytesPerSecond: sum.txBytesPerSecond + r.txBytesPerSecond,
    }),
    ZERO_RATE,
  );
}

function sumTotals(totals: ByteTotals[]): ByteTotals {
  return totals.reduce(
    (sum, t) => ({ rxBytes: sum.rxBytes + t.rxBytes, txBytes: sum.txBytes + t.txBytes }),
    ZERO_TOTALS,
  );
}
