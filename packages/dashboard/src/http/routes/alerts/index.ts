// The alerts area: the list and the thresholds.
import type { AreaPlugin } from "../../types.js";
import { listAlertsRoute } from "./list.get.js";
import { alertSettingsRoute } from "./settings.get.js";
import { updateAlertSettingsRoute } from "./settings.put.js";

export const alertRoutes: AreaPlugin = async (app, { context }) => {
  listAlertsRoute(app, context);
  alertSettingsRoute(app, context);
  updateAlertSettingsRoute(app, context);
};
