// GET /api/v1/configurations/:name/peers.csv — every peer of the configuration as CSV: name,
// addresses, publicKey, expiresAt, quotaBytes, enabled, node. Never a private or preshared key.
import { Type } from "@sinclair/typebox";
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { ConfigurationNameParams } from "./schemas.js";

export function exportPeersCsvRoute(app: TypedApp, context: AppContext): void {
  app.get(
    "/api/v1/configurations/:name/peers.csv",
    {
      schema: {
        tags: ["peers"],
        summary: "Export the configuration's peers as CSV",
        params: ConfigurationNameParams,
        produces: ["text/csv"],
        response: {
          200: Type.String({ description: "CSV, header first" }),
          ...errorResponses(401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const { filename, text } = await context.services.bulkPeers.exportCsv(request.params.name);
      return reply
        .header("content-type", "text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, "_")}"`)
        .header("cache-control", "no-store")
        .send(text);
    },
  );
}
