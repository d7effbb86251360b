// GET /api/v1/peers/:id/qr.svg — the client config as a QR code (admins only). Never cached.
import { Type } from "@sinclair/typebox";
import type { AppContext } from "../../context.js";
import { errorResponses, IdParams } from "../../schemas.js";
import type { TypedApp } from "../../types.js";

export function peerQrRoute(app: TypedApp, context: AppContext): void {
  app.get(
    "/api/v1/peers/:id/qr.svg",
    {
      config: { minRole: "admin" },
      schema: {
        tags: ["peers"],
        summary: "A peer's client config as a QR code",
        params: IdParams,
        produces: ["image/svg+xml"],
        response: { 200: Type.String({ description: "SVG" }), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const svg = await context.services.peerConfigs.qrSvg(request.params.id);
      return reply.header("content-type", "image/svg+xml").header("cache-control", "no-store").send(svg);
    },
  );
}
