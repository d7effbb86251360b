// Reads a node's last health report (the agent protocol's Health, stored as the agent sent it) without
// trusting its shape: anything unexpected reads as "no report".
import type { Health } from "@wgfleet/core";
import { t } from "../i18n/index.js";

export function healthOf(value: unknown): Health | null {
  if (typeof value !== "object" || value === null) return null;
  const candidate = value as Partial<Health>;
  if (typeof candidate.version !== "string" || !Array.isArray(candidate.interfaces)) return null;
  return candidate as Health;
}

/** "3 d 4 h", "5 h 12 min", "42 min". */
export function formatUptime(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  const hours = Math.floor(minutes / 60);
  const days = Math.floor(hours / 24);
  if (days > 0) return t("common.duration.daysHours", { days, hours: hours % 24 });
  if (hours > 0) return t("common.duration.hoursMinutes", { hours, minutes: minutes % 60 });
  return t("common.duration.minutes", { minutes });
}
