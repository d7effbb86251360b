// GET /s/:token — the public share page (no login): the peer's name, its config as a QR code (on a
// one-time link, a button to show it instead), a download button and short per-OS instructions.
import type { AppContext } from "../../context.js";
import type { TypedApp } from "../../types.js";
import { answerShare, html, publicShareRoute } from "./public-answer.js";
import { renderSharePage } from "./share-page.js";

export function sharePageRoute(app: TypedApp, context: AppContext): void {
  app.get(
    "/s/:token",
    publicShareRoute("A shared config's public page", "text/html"),
    async (request, reply) => {
      await answerShare(
        context,
        { address: request.ip, token: request.params.token },
        reply,
        (token) => context.services.shares.open(token),
        (found) => {
          const token = request.params.token;
          return html(
            reply,
            renderSharePage({
              peerName: found.peerName,
              expiresAt: found.expiresAt,
              ...(found.qrSvg === null ? {} : { qrSvg: found.qrSvg }),
              configHref: `${token}/config`,
              qrHref: `${token}/qr`,
            }),
          );
        },
      );
      return reply;
    },
  );
}
