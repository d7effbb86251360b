// Access rules a node enforces on its own clock: expiry, weekly schedules in a time zone, budgets.
export * from "./evaluate.js";
export { clockMinutes, isInSchedule, nextScheduleChangeAt, SCHEDULE_HORIZON_MS } from "./schedule.js";
