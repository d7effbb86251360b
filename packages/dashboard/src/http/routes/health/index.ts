// Health and metrics: the routes a load balancer and Prometheus call.
import type { AreaPlugin } from "../../types.js";
import { healthzRoute } from "./healthz.get.js";
import { metricsRoute } from "./metrics.get.js";

export const healthRoutes: AreaPlugin = async (app, { context }) => {
  healthzRoute(app, context);
  metricsRoute(app, context);
};
