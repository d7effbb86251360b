// The jobs area: the progress of resumable background work (a node's drain).
import type { AreaPlugin } from "../../types.js";
import { getJobRoute } from "./get.get.js";

export const jobRoutes: AreaPlugin = async (app, { context }) => {
  getJobRoute(app, context);
};
