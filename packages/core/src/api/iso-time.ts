// Times the API accepts: ISO-8601 dates ("2025-06-30") or times with an optional zone, checked field
// by field so an impossible date ("2024-02-30") is refused instead of rolled into the next month.
import { ValidationError } from "../errors.js";

const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The time as canonical ISO-8601 UTC text; a date alone is that day's midnight UTC. */
export function parseIsoTime(text: string, field: string): string {
  const fail = (why: string): never => {
    throw new ValidationError(field, `must be an ISO-8601 date or time (e.g. 2030-01-31): ${why}`);
  };
  const match = ISO_TIME.exec(text.trim());
  if (!match) return fail("not in that form");
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? 0));
  if (month === undefined || month < 1 || month > 12) return fail(`there is no month ${month}`);
  if (day === undefined || day < 1 || day > daysInMonth(year ?? 0, month)) {
    return fail(`${match[1]}-${match[2]} has no day ${match[3]}`);
  }
  if ((hour ?? 0) > 23 || (minute ?? 0) > 59 || (second ?? 0) > 59)
    return fail("the time of day is out of range");
  const zone = match[7] === undefined && match[4] !== undefined ? "Z" : "";
  const time = Date.parse(`${text.trim().replace(" ", "T")}${zone}`);
  if (Number.isNaN(time)) return fail("not a time");
  return new Date(time).toISOString();
}
