// GET /api/v1/configurations/:name/peers/configs.zip?ids=a,b,c — chosen peers' client configs in one
// zip (admins only: it carries private keys). For selections too long for a URL, POST the same path.
import { Type } from "@sinclair/typebox";
import { PeerConfigsZipQuerySchema, splitPeerIds } from "@wgfleet/core";
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { sendArchive } from "./peer-configs-zip.reply.js";
import { ConfigurationNameParams } from "./schemas.js";

export const PEER_CONFIGS_ZIP_PATH = "/api/v1/configurations/:name/peers/configs.zip";

export function peerConfigsZipGetRoute(app: TypedApp, context: AppContext): void {
  app.get(
    PEER_CONFIGS_ZIP_PATH,
    {
      config: { minRole: "admin" },
      schema: {
        tags: ["peers"],
        summary: "Download chosen peers' client configs as a zip",
        description:
          "One `<name>.conf` per peer; peers without a config are listed in NOT-INCLUDED.txt. At most 10,000 ids.",
        params: ConfigurationNameParams,
        querystring: PeerConfigsZipQuerySchema,
        produces: ["application/zip"],
        response: {
          200: Type.String({ description: "zip archive" }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) =>
      sendArchive(
        reply,
        await context.services.peerConfigArchives.archive(
          request.params.name,
          splitPeerIds(request.query.ids),
        ),
      ),
  );
}
