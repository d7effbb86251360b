// The API keys area: one file per route.
import type { AreaPlugin } from "../../types.js";
import { createApiKeyRoute } from "./create.post.js";
import { listApiKeysRoute } from "./list.get.js";
import { revokeApiKeyRoute } from "./revoke.delete.js";

export const apiKeyRoutes: AreaPlugin = async (app, { context }) => {
  listApiKeysRoute(app, context);
  createApiKeyRoute(app, context);
  revokeApiKeyRoute(app, context);
};
