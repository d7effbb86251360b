// The arithmetic of a traffic history query: step widths, which stored resolution still holds a range
// (each is kept for its own retention), the step `auto` picks, and how many points a step gives.
// Points are aligned to whole steps since the epoch (UTC: days start at UTC midnight). Pure; no I/O.
import { MAX_TRAFFIC_POINTS, type TrafficStep, ValidationError } from "@wgfleet/core";

export type FixedStep = Exclude<TrafficStep, "auto">;
/** The stored bucket widths: minute rows, hourly and daily rollups. */
export type Resolution = "minute" | "hour" | "day";

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

export const STEP_MS: Readonly<Record<FixedStep, number>> = {
  "1m": MINUTE_MS,
  "5m": 5 * MINUTE_MS,
  "15m": 15 * MINUTE_MS,
  "1h": HOUR_MS,
  "6h": 6 * HOUR_MS,
  "1d": DAY_MS,
};
const STEPS_FINEST_FIRST: readonly FixedStep[] = ["1m", "5m", "15m", "1h", "6h", "1d"];

export const RESOLUTION_MS: Readonly<Record<Resolution, number>> = {
  minute: MINUTE_MS,
  hour: HOUR_MS,
  day: DAY_MS,
};

export interface RetentionDays {
  minute: number;
  hour: number;
}

export function alignDown(ms: number, stepMs: number): number {
  return Math.floor(ms / stepMs) * stepMs;
}

/** Points from the step holding `fromMs` up to `toMs` (exclusive). */
export function pointCount(fromMs: number, toMs: number, stepMs: number): number {
  return Math.ceil((toMs - alignDown(fromMs, stepMs)) / stepMs);
}

/** The finest resolution whose retention still reaches back to `fromMs` (days: whatever is left). */
export function finestHeld(fromMs: number, nowMs: number, retention: RetentionDays): Resolution {
  if (fromMs >= nowMs - retention.minute * DAY_MS) return "minute";
  if (fromMs >= nowMs - retention.hour * DAY_MS) return "hour";
  return "day";
}

/** The stored resolution a step is read from: the coarsest whose buckets fit whole into the step. */
export function resolutionOf(step: FixedStep): Resolution {
  const ms = STEP_MS[step];
  if (ms % DAY_MS === 0) return "day";
  if (ms % HOUR_MS === 0) return "hour";
  return "minute";
}

/**
 * The step to answer with: `auto` is the finest the stored history still holds that gives at most
 * 1,000 points; an explicit step must be held and give at most 1,000 (else 400 naming `step`).
 */
export function resolveStep(
  step: TrafficStep,
  range: { fromMs: number; toMs: number },
  held: Resolution,
  retention: RetentionDays,
): FixedStep {
  const usable = (s: FixedStep) => RESOLUTION_MS[resolutionOf(s)] >= RESOLUTION_MS[held];
  const fits = (s: FixedStep) => pointCount(range.fromMs, range.toMs, STEP_MS[s]) <= MAX_TRAFFIC_POINTS;
  if (step === "auto") {
    const chosen = STEPS_FINEST_FIRST.find((s) => usable(s) && fits(s));
    if (!chosen) throw new ValidationError("from", `the range gives more than ${MAX_TRAFFIC_POINTS} days`);
    return chosen;
  }
  if (!usable(step)) {
    throw new ValidationError(
      "step",
      `${step} is finer than what is kept for this range (minutes ${retention.minute} days, hours ${retention.hour} days)`,
    );
  }
  if (!fits(step)) {
    throw new ValidationError("step", `${step} gives more than ${MAX_TRAFFIC_POINTS} points for this range`);
  }
  return step;
}
