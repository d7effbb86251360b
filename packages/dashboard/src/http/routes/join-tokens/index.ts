// The join-tokens area (issue 15): admins make, list and revoke one-time join tokens; a new server's
// agent joins with one through the public POST /api/v1/join.
import type { AreaPlugin } from "../../types.js";
import { createJoinTokenRoute } from "./create.post.js";
import { joinRoute } from "./join.post.js";
import { listJoinTokensRoute } from "./list.get.js";
import { revokeJoinTokenRoute } from "./revoke.delete.js";

export const joinTokenRoutes: AreaPlugin = async (app, { context }) => {
  createJoinTokenRoute(app, context);
  listJoinTokensRoute(app, context);
  revokeJoinTokenRoute(app, context);
  joinRoute(app, context);
};
