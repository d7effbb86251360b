// GET /s/:token/qr — a shared config as a QR code on a page of its own (no login), for one-time links,
// whose main page does not show it: showing it is a download, so it spends the link.
import type { AppContext } from "../../context.js";
import type { TypedApp } from "../../types.js";
import { answerShare, html, publicShareRoute } from "./public-answer.js";
import { renderQrPage } from "./share-page.js";

export function shareQrRoute(app: TypedApp, context: AppContext): void {
  app.get(
    "/s/:token/qr",
    publicShareRoute("A shared config's QR code page", "text/html", true),
    async (request, reply) => {
      await answerShare(
        context,
        { address: request.ip, token: request.params.token },
        reply,
        (token) => context.services.shares.downloadQr(token),
        (found) => html(reply, renderQrPage({ peerName: found.peerName, qrSvg: found.qrSvg })),
      );
      return reply;
    },
  );
}
