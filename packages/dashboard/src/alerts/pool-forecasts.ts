// Each pool's forecast for the pool bars (the node DTO's pools): its hourly use over the last 7 days,
// read from pool_usage_hours, through the pure forecast (pool-forecast.ts).
import { type Clock, nowIso, systemClock } from "../clock.js";
import type { AlertRepository } from "./alert.repository.js";
import { FORECAST_WINDOW_MS, forecastDays } from "./pool-forecast.js";

export class PoolForecasts {
  constructor(
    private readonly alerts: Pick<AlertRepository, "poolUsageSince">,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Days until the pool is full at the last 7 days' rate, or null (see pool-forecast.ts). */
  async forecastDays(interfaceId: string, pool: string, available: number): Promise<number | null> {
    const since = nowIso(this.clock.now() - FORECAST_WINDOW_MS);
    return forecastDays(await this.alerts.poolUsageSince(interfaceId, pool, since), available);
  }
}
