// A traffic quota's arithmetic, shared by the API answers, the budget the node is told and the quota
// job: which bytes count, what the period has used, and a fresh budget. Pure; no I/O.
import { randomUUID } from "node:crypto";
import {
  type PeerQuotaDto,
  type QuotaCounting,
  type QuotaUsageDto,
  quotaPeriodAt,
  type TrafficBudget,
} from "@wgfleet/core";
import { nowIso } from "../clock.js";

/** What a period has counted, in both directions (rx = received from the peer). */
export interface QuotaCounters {
  usedRx: number;
  usedTx: number;
}

/** A stored budget. */
export function parseBudget(json: string): TrafficBudget {
  return JSON.parse(json) as TrafficBudget;
}

/** The bytes that count against the quota. */
export function usedBytes(counting: QuotaCounting, counters: QuotaCounters): number {
  if (counting === "rx") return counters.usedRx;
  if (counting === "tx") return counters.usedTx;
  return counters.usedRx + counters.usedTx;
}

/** The usage as the API answers it. */
export function quotaUsageOf(
  quota: PeerQuotaDto,
  period: { start: string; end: string | null },
  counters: QuotaCounters,
): QuotaUsageDto {
  const used = usedBytes(quota.counting, counters);
  return {
    periodStart: period.start,
    periodEnd: period.end,
    usedBytes: used,
    percent: Math.round((used / quota.bytes) * 10_000) / 100,
  };
}

/**
 * A budget under a new id for what is left of the quota: the node starts counting it from zero, so a
 * period's earlier bytes (counted by the dashboard) are taken off here.
 */
export function freshBudget(quota: PeerQuotaDto, counters: QuotaCounters): TrafficBudget {
  return {
    id: `q:${randomUUID()}`,
    bytesLeft: Math.max(0, quota.bytes - usedBytes(quota.counting, counters)),
    counting: quota.counting,
  };
}

/** The period holding `at`, as stored (ISO text); `setAt` starts a `none` period. */
export function quotaPeriodOf(
  quota: PeerQuotaDto,
  at: number,
  timeZone: string,
  setAt: number = at,
): { start: string; end: string | null } {
  const span = quotaPeriodAt(quota, at, timeZone, setAt);
  return { start: nowIso(span.start), end: span.end === null ? null : nowIso(span.end) };
}

/** Whether two quotas count in the same periods (then a change keeps what the period used). */
export function samePeriods(a: PeerQuotaDto, b: PeerQuotaDto): boolean {
  return a.period === b.period && a.resetDay === b.resetDay;
}

/**
 * A peer's quota as read with its answer (peer_quotas left-joined as `q`, so every column is null
 * without a quota). QUOTA_SELECTION in quota.repository.ts selects exactly these.
 */
export interface QuotaColumns {
  quotaBytes: number | string | null;
  quotaPeriod: PeerQuotaDto["period"] | null;
  quotaResetDay: number | null;
  quotaCounting: QuotaCounting | null;
  quotaAction: PeerQuotaDto["action"] | null;
  quotaWarnAtPercent: number | null;
  quotaPeriodStart: string | null;
  quotaPeriodEnd: string | null;
  quotaUsedRx: number | string | null;
  quotaUsedTx: number | string | null;
}

/** A peer answer's `quota` and `quotaUsage`. */
export function quotaFieldsOf(columns: QuotaColumns): {
  quota: PeerQuotaDto | null;
  quotaUsage: QuotaUsageDto | null;
} {
  const { quotaPeriod, quotaCounting, quotaAction, quotaPeriodStart } = columns;
  if (quotaPeriod === null || quotaCounting === null || quotaAction === null || quotaPeriodStart === null)
    return { quota: null, quotaUsage: null };
  const quota: PeerQuotaDto = {
    bytes: Number(columns.quotaBytes),
    period: quotaPeriod,
    resetDay: Number(columns.quotaResetDay),
    counting: quotaCounting,
    action: quotaAction,
    warnAtPercent: columns.quotaWarnAtPercent,
  };
  const counters = { usedRx: Number(columns.quotaUsedRx), usedTx: Number(columns.quotaUsedTx) };
  const period = { start: quotaPeriodStart, end: columns.quotaPeriodEnd };
  return { quota, quotaUsage: quotaUsageOf(quota, period, counters) };
}

/** A quota just set, with its period. */
export interface QuotaSetting {
  quota: PeerQuotaDto;
  period: { start: string; end: string | null };
}

/** The QuotaColumns of a quota just set and nothing used yet (or of none). */
export function newQuotaColumns(setting: QuotaSetting | null): QuotaColumns {
  return {
    quotaBytes: setting?.quota.bytes ?? null,
    quotaPeriod: setting?.quota.period ?? null,
    quotaResetDay: setting?.quota.resetDay ?? null,
    quotaCounting: setting?.quota.counting ?? null,
    quotaAction: setting?.quota.action ?? null,
    quotaWarnAtPercent: setting?.quota.warnAtPercent ?? null,
    quotaPeriodStart: setting?.period.start ?? null,
    quotaPeriodEnd: setting?.period.end ?? null,
    quotaUsedRx: setting ? 0 : null,
    quotaUsedTx: setting ? 0 : null,
  };
}

/** Nothing used: a new period's counters. */
export const NO_USAGE: QuotaCounters = { usedRx: 0, usedTx: 0 };

/** Where a period's count starts: the peer's stored totals now (a new period), or a start kept. */
export type QuotaStart = "totals-now" | { rx: number; tx: number };

/** A stored quota as a change reads it: what its period used, and where that count started. */
export interface CurrentQuota extends QuotaCounters {
  quota: PeerQuotaDto;
  period: QuotaSetting["period"];
  start: { rx: number; tx: number };
}

/** What a quota change writes: the quota row (null: removed) and the budget the node is told. */
export interface QuotaChange {
  setting: (QuotaSetting & { start: QuotaStart }) | null;
  budget: string | null;
}

/**
 * A peer's quota set, changed or removed. A change that keeps the periods keeps what the period used
 * (the warning and the action may run again for the new numbers); otherwise a new period starts at
 * `now`, from zero. Either way the node gets a fresh budget for what is left.
 */
export function planQuotaChange(
  current: CurrentQuota | undefined,
  next: PeerQuotaDto | null,
  timeZone: string,
  now: number,
): QuotaChange {
  if (next === null) return { setting: null, budget: null };
  if (current !== undefined && samePeriods(current.quota, next)) {
    return {
      setting: { quota: next, period: current.period, start: current.start },
      budget: JSON.stringify(freshBudget(next, current)),
    };
  }
  return {
    setting: { quota: next, period: quotaPeriodOf(next, now, timeZone), start: "totals-now" },
    budget: JSON.stringify(freshBudget(next, NO_USAGE)),
  };
}
