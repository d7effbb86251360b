// The traffic history behind `GET /api/v1/stats/traffic?scope=`: one peer's, interface's, node's,
// configuration's or the fleet's bytes per step over a range. Rules: the thing asked about must exist
// (404), the range must be a valid one (400 naming `from`/`to`), the step must be held by the stored
// history and give at most 1,000 points (400 naming `step`; `auto` picks the finest that does). It
// reads the coarsest stored resolution that fits the step and stitches the part the rollup has not
// reached yet from the finer tables, so the latest minutes always show. Reads only.
import {
  MAX_TRAFFIC_POINTS,
  NotFoundError,
  type TrafficHistoryDto,
  type TrafficPointDto,
  type TrafficScope,
  type TrafficStep,
  ValidationError,
} from "@wgfleet/core";
import { nowIso } from "../clock.js";
import type { StatsSettings } from "../config/stats-settings.js";
import type { HistoryTarget, TrafficHistoryRepository } from "./traffic-history.repository.js";
import type { TrafficPoint } from "./traffic-samples.repository.js";
import {
  alignDown,
  DAY_MS,
  finestHeld,
  type Resolution,
  resolutionOf,
  resolveStep,
  STEP_MS,
} from "./traffic-steps.js";

export interface TrafficHistoryQuery {
  scope: TrafficScope;
  id?: string;
  from?: string;
  to?: string;
  step?: TrafficStep;
}

/** Resolutions coarsest first: each is read up to its rollup mark, the next finer one after it. */
const COARSEST_FIRST: readonly Resolution[] = ["day", "hour", "minute"];

export class TrafficHistoryService {
  private readonly now: () => number;

  constructor(
    private readonly deps: {
      history: TrafficHistoryRepository;
      settings: StatsSettings;
      now?: () => number;
    },
  ) {
    this.now = deps.now ?? Date.now;
  }

  async history(query: TrafficHistoryQuery): Promise<TrafficHistoryDto> {
    const nowMs = this.now();
    const target = await this.target(query.scope, query.id);
    const { fromMs, toMs } = parseRange(query.from, query.to, nowMs);
    const retention = {
      minute: this.deps.settings.retentionDays,
      hour: this.deps.settings.hourRetentionDays,
    };
    const step = resolveStep(
      query.step ?? "auto",
      { fromMs, toMs },
      finestHeld(fromMs, nowMs, retention),
      retention,
    );
    const stepMs = STEP_MS[step];
    const start = alignDown(fromMs, stepMs);
    const [buckets, handshakes] = await Promise.all([
      this.stitched(target, resolutionOf(step), nowIso(start), nowIso(toMs)),
      target.scope === "peer"
        ? this.deps.history.handshakes(target.key as string, nowIso(fromMs), nowIso(toMs), MAX_TRAFFIC_POINTS)
        : undefined,
    ]);
    return {
      scope: query.scope,
      id: query.scope === "fleet" ? null : (query.id as string),
      from: nowIso(start),
      to: nowIso(toMs),
      step,
      stepSeconds: stepMs / 1000,
      points: fold(buckets, stepMs),
      ...(handshakes ? { handshakes } : {}),
    };
  }

  /** The scope's key in the history tables; 404 when the thing does not exist, 400 when `id` is missing. */
  private async target(scope: TrafficScope, id: string | undefined): Promise<HistoryTarget> {
    if (scope === "fleet") return { scope, key: null };
    if (id === undefined) throw new ValidationError("id", `required for scope ${scope}`);
    const key = await this.deps.history.resolveKey(scope, id);
    if (key === null) throw new NotFoundError(`${scope} ${id}`);
    return { scope, key };
  }

  /**
   * Buckets of `resolution` up to its rollup mark, then of each finer resolution from the mark on:
   * rolled rows exist only before their mark, and finer rows past it are exactly what is not rolled.
   */
  private async stitched(
    target: HistoryTarget,
    resolution: Resolution,
    from: string,
    to: string,
  ): Promise<TrafficPoint[]> {
    const marks = await this.deps.history.marks();
    const markOf: Record<Resolution, string | null> = { day: marks.days, hour: marks.hours, minute: to };
    const parts: Array<Promise<TrafficPoint[]>> = [];
    let cursor = from;
    for (const res of COARSEST_FIRST.slice(COARSEST_FIRST.indexOf(resolution))) {
      const until = minIso(markOf[res] ?? cursor, to);
      if (until > cursor) parts.push(this.deps.history.buckets(target, res, cursor, until));
      cursor = maxIso(cursor, until);
    }
    return (await Promise.all(parts)).flat();
  }
}

/** from/to checked: ISO times, from before to; defaults: to now, from a day before to. */
function parseRange(from: string | undefined, to: string | undefined, nowMs: number) {
  const toMs = to === undefined ? nowMs : parseTime(to, "to");
  const fromMs = from === undefined ? toMs - DAY_MS : parseTime(from, "from");
  if (fromMs >= toMs) throw new ValidationError("from", "must lie before to");
  return { fromMs, toMs };
}

/** ISO-8601 with a date and a time (a zone or Z); a bare date or other text is refused. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function parseTime(text: string, field: "from" | "to"): number {
  const ms = ISO_TIME.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms)) throw new ValidationError(field, "expected an ISO-8601 time with zone");
  return ms;
}

/** Sums stored buckets into the steps they fall in (aligned to whole steps); oldest first. */
function fold(buckets: readonly TrafficPoint[], stepMs: number): TrafficPointDto[] {
  const points = new Map<number, TrafficPointDto>();
  for (const b of buckets) {
    const at = alignDown(Date.parse(b.at), stepMs);
    const point = points.get(at);
    if (point) {
      point.rxBytes += b.rxBytes;
      point.txBytes += b.txBytes;
    } else points.set(at, { at: nowIso(at), rxBytes: b.rxBytes, txBytes: b.txBytes });
  }
  return [...points.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, point]) => point)
    .filter((point) => point.rxBytes + point.txBytes > 0);
}

const minIso = (a: string, b: string) => (a < b ? a : b);
const maxIso = (a: string, b: string) => (a > b ? a : b);
