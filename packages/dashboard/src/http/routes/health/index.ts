// Health, readiness and metrics: the routes a load balancer and Prometheus call.
import type { AreaPlugin } from "../../types.js";
import { healthzRoute } from "./healthz.get.js";
import { metricsRoute } from "./metrics.get.js";
import { readyzRoute } from "./readyz.get.js";

export const healthRoutes: AreaPlugin = async (app, { context }) => {
  healthzRoute(app, context);
  readyzRoute(app, context);
  metricsRoute(app, context);
};
