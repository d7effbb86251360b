// Builds the alert engine and service, subscribes the engine to the domain event bus (drift repairs),
// and starts its tick: the composition root (services.ts) calls this once.
import type { AuditService } from "../audit/index.js";
import type { Clock } from "../clock.js";
import { ConfigurationRepository } from "../configurations/configuration.repository.js";
import type { Db } from "../db/index.js";
import type { DomainEventBus } from "../events/index.js";
import { AddressPools, AllocationRepository, InterfaceRepository } from "../interfaces/index.js";
import type { Logger } from "../logging/logger.js";
import type { MetricsRegistry } from "../metrics/registry.js";
import { type BackgroundJob, startIntervalJob } from "../startup/background-job.js";
import { AlertRepository } from "./alert.repository.js";
import { AlertService } from "./alert.service.js";
import { AlertEngine } from "./alert-engine.js";
import { AlertFactsRepository } from "./alert-facts.repository.js";
import { AlertMetrics } from "./alert-metrics.js";

export interface AlertServices {
  alerts: AlertService;
  alertEngine: AlertEngine;
  /** Starts the engine's tick, at the health poller's pace: an alert follows a status change within one tick. */
  startAlertJob(): BackgroundJob;
}

declare module "../http/context.js" {
  interface AppServices extends AlertServices {}
}

export function createAlertServices(deps: {
  db: Db;
  audit: AuditService;
  logger: Logger;
  clock: Clock;
  events: DomainEventBus;
  metrics: MetricsRegistry;
  intervalMs: number;
}): AlertServices {
  const alerts = new AlertRepository(deps.db);
  const alertEngine = new AlertEngine({
    alerts,
    facts: new AlertFactsRepository(deps.db),
    interfaces: new InterfaceRepository(deps.db),
    configurations: new ConfigurationRepository(deps.db),
    pools: new AddressPools(deps.db, new AllocationRepository(deps.db)),
    events: deps.events,
    metrics: new AlertMetrics(deps.metrics),
    logger: deps.logger,
    clock: deps.clock,
  });
  deps.events.subscribe("alerts", (event) => alertEngine.onEvent(event));
  return {
    alerts: new AlertService({ alerts, audit: deps.audit }),
    alertEngine,
    startAlertJob: () =>
      startIntervalJob("alerts", deps.intervalMs, () => alertEngine.evaluate(), deps.logger),
  };
}
