// The stats area: traffic statistics (rates now, bytes today, the per-minute history) from the live
// stats poller's stored samples. Reads only: any signed-in user (viewer and up).
import type { AreaPlugin } from "../../types.js";
import { trafficRoute } from "./traffic.get.js";

export const statsRoutes: AreaPlugin = async (app, { context }) => {
  trafficRoute(app, context);
};
