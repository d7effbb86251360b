// GET /api/v1/nodes/enabled — the add-peer dialog's node selector reads it: enabled nodes and their load.
// Also served at the seed's unversioned GET /api/nodes/enabled, kept for the clients written against it:
// one handler and one schema behind both paths.
import { Type } from "@sinclair/typebox";
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { EnabledNodeSchema } from "./schemas.js";

export const ENABLED_NODES_PATHS = ["/api/v1/nodes/enabled", "/api/nodes/enabled"] as const;

export function enabledNodesRoute(app: TypedApp, context: AppContext): void {
  const schema = {
    tags: ["nodes"],
    summary: "Enabled nodes (for the node dropdown)",
    response: { 200: Type.Array(EnabledNodeSchema), ...errorResponses(401, 403) },
  };
  const handler = async () => context.services.nodes.enabled();
  for (const url of ENABLED_NODES_PATHS) app.get(url, { schema }, handler);
}
