// GET /api/v1/peers/:id/config — the peer's own wg-quick file (admins only): the one answer that
// carries its private and preshared keys. Never cached.
import { Type } from "@sinclair/typebox";
import type { AppContext } from "../../context.js";
import { errorResponses, IdParams } from "../../schemas.js";
import type { TypedApp } from "../../types.js";

export function peerConfigRoute(app: TypedApp, context: AppContext): void {
  app.get(
    "/api/v1/peers/:id/config",
    {
      config: { minRole: "admin" },
      schema: {
        tags: ["peers"],
        summary: "Download a peer's client config",
        params: IdParams,
        produces: ["text/plain"],
        response: {
          200: Type.String({ description: "wg-quick file" }),
          ...errorResponses(401, 403, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const { filename, text } = await context.services.peerConfigs.clientConfig(request.params.id);
      return reply
        .header("content-type", "text/plain; charset=utf-8")
        .header("content-disposition", `attachment; filename="${filename}"`)
        .header("cache-control", "no-store")
        .send(text);
    },
  );
}
