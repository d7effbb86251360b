// POST /api/v1/configurations/:name/peers/import.csv?partial=false — peers from a CSV body (text/csv):
// name, addresses?, publicKey?, presharedKey?, expiresAt?, quotaBytes?, node?. Every row checked;
// any bad row → 400 listing each error with its line and field, and nothing created, unless
// partial=true (then the good rows are created and the answer lists the bad ones).

import { Type } from "@sinclair/typebox";
import { PeerCsvImportQuerySchema, PeerCsvImportResultSchema, PeerCsvRowsErrorSchema } from "@wgfleet/core";
import { auditName } from "../../../auth/actor.js";
import type { AppContext } from "../../context.js";
import { errorResponses } from "../../schemas.js";
import type { TypedApp } from "../../types.js";
import { ConfigurationNameParams } from "./schemas.js";

/** 10,000 rows of generous width. */
const CSV_BODY_LIMIT = 4 * 1024 * 1024;

export function importPeersCsvRoute(app: TypedApp, context: AppContext): void {
  app.addContentTypeParser(
    "text/csv",
    { parseAs: "string", bodyLimit: CSV_BODY_LIMIT },
    (_request, body, done) => done(null, body),
  );
  app.post(
    "/api/v1/configurations/:name/peers/import.csv",
    {
      bodyLimit: CSV_BODY_LIMIT,
      schema: {
        tags: ["peers"],
        summary: "Import peers from CSV",
        description: "Send the file as the body with content type text/csv.",
        params: ConfigurationNameParams,
        querystring: PeerCsvImportQuerySchema,
        consumes: ["text/csv"],
        body: Type.String({ description: "the CSV file" }),
        response: {
          201: PeerCsvImportResultSchema,
          400: PeerCsvRowsErrorSchema,
          ...errorResponses(401, 403, 404, 409, 413, 502, 503),
        },
      },
    },
    async (request, reply) => {
      const result = await context.services.bulkPeers.importCsv(
        request.params.name,
        request.body,
        request.query.partial === true,
        auditName(request.actor),
      );
      return reply.code(201).send(result);
    },
  );
}
