// Meaning checks of a peer's quota whose shape PeerQuotaSchema already checked: the reset day fits the
// period (a weekday for weekly, a day every month has for monthly), and every default filled in, so
// what comes back is what is stored and answered.
import { ValidationError } from "../errors.js";
import type { PeerQuota, PeerQuotaDto, QuotaPeriod } from "./lifecycle.js";

/** The reset day a period gets when none is given: Monday for weekly, the 1st for monthly, else 0. */
export function defaultResetDay(period: QuotaPeriod): number {
  return period === "weekly" || period === "monthly" ? 1 : 0;
}

export function checkPeerQuota(quota: PeerQuota, field = "quota"): PeerQuotaDto {
  return {
    bytes: quota.bytes,
    period: quota.period,
    resetDay: checkResetDay(quota, `${field}.resetDay`),
    counting: quota.counting ?? "total",
    action: quota.action ?? "suspend",
    warnAtPercent: quota.warnAtPercent ?? null,
  };
}

function checkResetDay(quota: PeerQuota, field: string): number {
  const day = quota.resetDay;
  if (day === undefined) return defaultResetDay(quota.period);
  switch (quota.period) {
    case "weekly":
      if (day > 6)
        throw new ValidationError(field, "must be a weekday from 0 (Sunday) to 6 for a weekly quota");
      return day;
    case "monthly":
      if (day < 1 || day > 28)
        throw new ValidationError(field, "must be a day from 1 to 28 for a monthly quota");
      return day;
    default:
      throw new ValidationError(field, `has no meaning for a ${quota.period} quota; leave it out`);
  }
}
