// Where an API error about a lifecycle rule belongs in its group of fields: the quota and schedule are one
// field each for the API ("quota", "schedule.windows[1].days"), but several inputs on screen, and each
// message belongs next to the input it is about.

/** The path below the group: ("quota.bytes", "quota") → "bytes"; the group itself → "". */
export function pathBelow(path: string | undefined, group: string): string {
  if (!path || path === group) return "";
  if (path.startsWith(`${group}.`)) return path.slice(group.length + 1);
  if (path.startsWith(`${group}[`)) return path.slice(group.length);
  return "";
}

export type QuotaPart = "amount" | "period" | "resetDay" | "counting" | "action" | "warnAtPercent";

/** The quota input an error path is about; the amount for the quota as a whole. */
export function quotaPartOf(path: string | undefined, group = "quota"): QuotaPart {
  const head = pathBelow(path, group).split(/[.[]/)[0];
  switch (head) {
    case "period":
    case "resetDay":
    case "counting":
    case "action":
    case "warnAtPercent":
      return head;
    default:
      return "amount";
  }
}

/** The schedule part an error path is about: a window (by index), the time zone, or the whole. */
export type SchedulePart = { window: number } | "timeZone" | "schedule";

export function schedulePartOf(path: string | undefined, group: string): SchedulePart {
  const below = pathBelow(path, group);
  const window = /^windows(?:\[(\d+)\]|\.(\d+))/.exec(below);
  if (window) return { window: Number(window[1] ?? window[2]) };
  if (below.startsWith("timeZone")) return "timeZone";
  return "schedule";
}
