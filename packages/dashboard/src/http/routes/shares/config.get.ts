// GET /s/:token/config — a shared config's wg-quick file (no login). The first download spends a
// one-time link; later ones, like an expired or revoked link's, get the 410 page.
import type { AppContext } from "../../context.js";
import type { TypedApp } from "../../types.js";
import { answerShare, publicShareRoute } from "./public-answer.js";

export function shareConfigRoute(app: TypedApp, context: AppContext): void {
  app.get(
    "/s/:token/config",
    publicShareRoute("A shared config's file", "text/plain", true),
    async (request, reply) => {
      await answerShare(
        context,
        { address: request.ip, token: request.params.token },
        reply,
        (token) => context.services.shares.download(token),
        (found) => {
          reply
            .header("content-type", "text/plain; charset=utf-8")
            .header("content-disposition", `attachment; filename="${found.filename}"`)
            .send(found.text);
        },
      );
      return reply;
    },
  );
}
