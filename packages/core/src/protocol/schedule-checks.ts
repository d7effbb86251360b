// Meaning checks of access schedules and time zones whose shape AccessScheduleSchema already checked,
// one rule for the dashboard's API and the node's protocol: the zone must be one the runtime's IANA
// database knows (the node evaluates windows in it with the same Intl), a window may not start at 24:00,
// each day once, days sorted. What comes back is canonical, ready to store and to send to the node.
import { ValidationError } from "../errors.js";
import { isTimeZone } from "../time/zoned-time.js";
import { fieldStep } from "./field-path.js";
import type { AccessSchedule, WeeklyWindow } from "./v1.js";

/**
 * An IANA time zone name ("Europe/Berlin"), case as the database spells it. Offsets ("+01:00") and
 * names Intl does not know are refused: a schedule in an unknown zone could never be enforced.
 */
export function checkTimeZone(text: string, field: string): string {
  const name = text.trim();
  const fail = (): never => {
    throw new ValidationError(field, `"${text}" is not an IANA time zone (e.g. "Europe/Berlin" or "UTC")`);
  };
  if (!isTimeZone(name)) return fail();
  const resolved = new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
  // "europe/berlin" is stored as "Europe/Berlin"; an alias ("US/Eastern") stays as the admin wrote it.
  return resolved.toLowerCase() === name.toLowerCase() ? resolved : name;
}

/** The schedule with its zone checked and each window's days sorted. */
export function checkAccessSchedule(schedule: AccessSchedule, field: string): AccessSchedule {
  return {
    timeZone: checkTimeZone(schedule.timeZone, fieldStep(field, "timeZone")),
    windows: schedule.windows.map((window, index) =>
      checkWindow(window, fieldStep(fieldStep(field, "windows"), index)),
    ),
  };
}

function checkWindow(window: WeeklyWindow, field: string): WeeklyWindow {
  if (window.from === "24:00")
    throw new ValidationError(
      fieldStep(field, "from"),
      "a window starts at 00:00 … 23:59 (24:00 is only an end)",
    );
  const days = [...new Set(window.days)].sort((a, b) => a - b);
  if (days.length !== window.days.length)
    throw new ValidationError(fieldStep(field, "days"), "names a day twice");
  return { days, from: window.from, to: window.to };
}
