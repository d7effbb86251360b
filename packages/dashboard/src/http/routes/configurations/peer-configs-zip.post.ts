// POST /api/v1/configurations/:name/peers/configs.zip {ids} — the same zip as the GET, for id lists
// too long for a URL. It reads only; POST just carries the list.
import { Type } from "@sinclair/typebox";
import { PeerConfigsZipBodySchema } from "@wgfleet/core";
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { PEER_CONFIGS_ZIP_PATH } from "./peer-configs-zip.get.js";
import { sendArchive } from "./peer-configs-zip.reply.js";
import { ConfigurationNameParams } from "./schemas.js";

export function peerConfigsZipPostRoute(app: TypedApp, context: AppContext): void {
  app.post(
    PEER_CONFIGS_ZIP_PATH,
    {
      config: { minRole: "admin" },
      schema: {
        tags: ["peers"],
        summary: "Download chosen peers' client configs as a zip (long id lists)",
        params: ConfigurationNameParams,
        body: PeerConfigsZipBodySchema,
        produces: ["application/zip"],
        response: {
          200: Type.String({ description: "zip archive" }),
          ...errorResponses(400, 401, 403, 404, 413),
        },
      },
    },
    async (request, reply) =>
      sendArchive(
        reply,
        await context.services.peerConfigArchives.archive(request.params.name, request.body.ids),
      ),
  );
}
