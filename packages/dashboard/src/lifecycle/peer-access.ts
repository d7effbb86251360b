// What a node is told about when a peer may be on its interface (protocol v1 `PeerAccess`): the
// expiry as `notAfter` (ms), the schedule that applies — the peer's own, else its configuration's
// default — and the traffic budget its quota left it (quota-job.ts issues it). The node enforces it on its own clock, also while the dashboard is away. The one place the
// database's rules become a peer's access; a peer without rules gets no access field at all, so an
// agent from before access rules sees the spec it always saw.
import type { AccessSchedule, PeerAccess } from "@wgfleet/core";
import { parseBudget } from "./quota.js";

/** The columns a peer's access is built from (the configuration's default schedule joined in). */
export interface PeerAccessColumns {
  /** ISO text, or null: never expires. */
  expires_at: string | null;
  /** The peer's own schedule (JSON text), or null. */
  schedule: string | null;
  /** Its configuration's default schedule (JSON text), or null. */
  default_schedule: string | null;
  /** The traffic budget (JSON text) the quota left the peer, or null: no quota. */
  quota_budget: string | null;
}

export type ScheduleSource = "peer" | "configuration";

/** The schedule that applies and where it comes from; null when neither the peer nor its configuration has one. */
export function effectiveSchedule(
  columns: Pick<PeerAccessColumns, "schedule" | "default_schedule">,
): { schedule: AccessSchedule; from: ScheduleSource } | null {
  if (columns.schedule !== null) return { schedule: parseSchedule(columns.schedule), from: "peer" };
  if (columns.default_schedule !== null)
    return { schedule: parseSchedule(columns.default_schedule), from: "configuration" };
  return null;
}

/** The peer's access for its PeerSpec, or undefined when no rule applies. */
export function peerAccessOf(columns: PeerAccessColumns): PeerAccess | undefined {
  const access: PeerAccess = {};
  if (columns.expires_at !== null) access.notAfter = Date.parse(columns.expires_at);
  const schedule = effectiveSchedule(columns);
  if (schedule) access.schedule = schedule.schedule;
  if (columns.quota_budget !== null) access.budget = parseBudget(columns.quota_budget);
  return Object.keys(access).length > 0 ? access : undefined;
}

/** A stored schedule (checked by the API before it was stored). */
export function parseSchedule(json: string): AccessSchedule {
  return JSON.parse(json) as AccessSchedule;
}
