// A weekly access schedule as the schedule editor holds it, and the API's schedule from it. Times are
// <input type="time"> values, which cannot say 24:00: a window's end at 00:00 is written as 24:00 (the
// same instant either way, since an end at or before the start runs to the next day), and 24:00 from
// the API shows as 00:00.
import type { AccessSchedule } from "../api/types.js";

/**
 * `always`: on at every hour; `default`: the configuration's default schedule applies (peers only);
 * `custom`: the windows below.
 */
export type ScheduleMode = "always" | "default" | "custom";

export interface WindowForm {
  /** Weekdays, 0 = Sunday … 6, ascending. */
  days: number[];
  from: string;
  to: string;
}

export interface ScheduleForm {
  mode: ScheduleMode;
  timeZone: string;
  windows: WindowForm[];
}

const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6];

/** What a new window starts as: weekdays 08:00-18:00. */
export function newWindow(): WindowForm {
  return { days: [1, 2, 3, 4, 5], from: "08:00", to: "18:00" };
}

/**
 * What a peer sends for "always": a window over the whole week. It is the peer's own schedule, so the
 * configuration's default (which a peer without one follows) no longer applies to it.
 */
export function alwaysSchedule(timeZone: string): AccessSchedule {
  return { timeZone, windows: [{ days: [...EVERY_DAY], from: "00:00", to: "24:00" }] };
}

function isAlways(schedule: AccessSchedule): boolean {
  return schedule.windows.some(
    (w) => w.days.length === 7 && (w.to === "24:00" || w.to === "00:00") && w.from === "00:00",
  );
}

/**
 * The form for a schedule. `nullMeans` says what no schedule is where the form is used: a peer without
 * its own follows the configuration's default, a configuration without a default is always on.
 */
export function scheduleFormOf(
  schedule: AccessSchedule | null,
  timeZone: string,
  nullMeans: "default" | "always",
): ScheduleForm {
  if (!schedule) return { mode: nullMeans, timeZone, windows: [newWindow()] };
  if (nullMeans === "default" && isAlways(schedule))
    return { mode: "always", timeZone: schedule.timeZone, windows: [newWindow()] };
  return {
    mode: "custom",
    timeZone: schedule.timeZone,
    windows: schedule.windows.map((w) => ({
      days: [...w.days].sort((a, b) => a - b),
      from: w.from,
      to: w.to === "24:00" ? "00:00" : w.to,
    })),
  };
}

/**
 * The schedule to send: null for "default" and for a configuration's "always" (`nullMeans`), the whole
 * week for a peer's "always", else the windows.
 */
export function scheduleOf(form: ScheduleForm, nullMeans: "default" | "always"): AccessSchedule | null {
  if (form.mode === nullMeans) return null;
  if (form.mode === "always") return alwaysSchedule(form.timeZone);
  return {
    timeZone: form.timeZone,
    windows: form.windows.map((w) => ({
      days: [...w.days].sort((a, b) => a - b),
      from: w.from,
      to: w.to === "00:00" ? "24:00" : w.to,
    })),
  };
}

/** Whether the person changed the schedule (an edit sends it only then). */
export function scheduleChanged(
  form: ScheduleForm,
  schedule: AccessSchedule | null,
  timeZone: string,
  nullMeans: "default" | "always",
): boolean {
  const before = scheduleOf(scheduleFormOf(schedule, timeZone, nullMeans), nullMeans);
  return JSON.stringify(scheduleOf(form, nullMeans)) !== JSON.stringify(before);
}
