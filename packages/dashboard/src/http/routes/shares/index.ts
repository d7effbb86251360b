// The shares area: share links to a peer's config (create, list, revoke) and the public pages they
// lead to (`/s/:token`, its file and its QR code), which need no login.
import type { AreaPlugin } from "../../types.js";
import { shareConfigRoute } from "./config.get.js";
import { createShareLinkRoute } from "./create.post.js";
import { listShareLinksRoute } from "./list.get.js";
import { sharePageRoute } from "./page.get.js";
import { shareQrRoute } from "./qr.get.js";
import { revokeShareLinkRoute } from "./revoke.delete.js";

export const shareRoutes: AreaPlugin = async (app, { context }) => {
  createShareLinkRoute(app, context);
  listShareLinksRoute(app, context);
  revokeShareLinkRoute(app, context);
  sharePageRoute(app, context);
  shareConfigRoute(app, context);
  shareQrRoute(app, context);
};
