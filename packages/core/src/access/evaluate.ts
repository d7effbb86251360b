// Whether a peer may be on the interface now, by its access rules (protocol v1 `PeerAccess`): expiry
// first (it is final), then the traffic budget, then the weekly schedule. Pure: the caller passes the
// time and the bytes counted against the budget, so the node's enforcement and tests share one rule.
import type { PeerAccess, SuspensionReason } from "../protocol/v1.js";
import { isInSchedule, nextScheduleChangeAt } from "./schedule.js";

export type AccessVerdict = { on: true } | { on: false; reason: SuspensionReason };

const ON: AccessVerdict = { on: true };

/** On, or off with the reason. `usedBytes`: what the node counted against `access.budget` so far. */
export function evaluatePeerAccess(
  access: PeerAccess | undefined,
  nowMs: number,
  usedBytes = 0,
): AccessVerdict {
  if (access === undefined) return ON;
  if (access.notAfter !== undefined && nowMs >= access.notAfter) return { on: false, reason: "expired" };
  if (access.budget !== undefined && usedBytes >= access.budget.bytesLeft)
    return { on: false, reason: "quota" };
  if (access.schedule !== undefined && !isInSchedule(access.schedule, nowMs))
    return { on: false, reason: "schedule" };
  return ON;
}

/**
 * The next instant after `nowMs` at which the time-bound rules (expiry, schedule) may change the
 * verdict: the expiry or a window edge. The verdict by time is the same until then. null when time
 * alone never changes it (no rules, or already expired). The budget is not a time: it is counted.
 */
export function nextAccessChangeAt(access: PeerAccess | undefined, nowMs: number): number | null {
  if (access === undefined) return null;
  const { notAfter, schedule } = access;
  if (notAfter !== undefined && nowMs >= notAfter) return null;
  const scheduled = schedule === undefined ? null : nextScheduleChangeAt(schedule, nowMs);
  if (notAfter === undefined) return scheduled;
  return scheduled === null ? notAfter : Math.min(notAfter, scheduled);
}
