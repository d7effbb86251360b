// The lifecycle area: fleet-wide views of what expiry and traffic quotas are about to do. A peer's own
// rules and history are in the peers area (GET /api/v1/peers/:id/lifecycle).
import type { AreaPlugin } from "../../types.js";
import { lifecycleAttentionRoute } from "./attention.get.js";

export const lifecycleRoutes: AreaPlugin = async (app, { context }) => {
  lifecycleAttentionRoute(app, context);
};
