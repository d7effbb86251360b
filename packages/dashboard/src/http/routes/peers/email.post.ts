// POST /api/v1/peers/:id/email — make a share link to the peer's config and mail it to `to` or the
// peer's contact address (admins). The mail holds the link, never the config or a key; the link is
// listed and revocable like any other. An SMTP failure → 502 SMTP_ERROR and no link is left behind.
import { SendPeerEmailBodySchema, SentPeerEmailDtoSchema } from "@wgfleet/core";
import type { AppContext } from "../../context.js";
import { publicBaseUrl } from "../../public-base-url.js";
import { errorResponses, IdParams } from "../../schemas.js";
import type { TypedApp } from "../../types.js";

export function emailPeerRoute(app: TypedApp, context: AppContext): void {
  app.post(
    "/api/v1/peers/:id/email",
    {
      schema: {
        tags: ["peers"],
        summary: "Mail a share link to the peer's config",
        params: IdParams,
        body: SendPeerEmailBodySchema,
        response: { 201: SentPeerEmailDtoSchema, ...errorResponses(400, 401, 403, 404, 409, 502) },
      },
    },
    async (request, reply) => {
      const sent = await context.services.peerEmail.send(
        request.params.id,
        request.body ?? {},
        request.actor,
        publicBaseUrl(context.config, request),
      );
      return reply.code(201).send(sent);
    },
  );
}
