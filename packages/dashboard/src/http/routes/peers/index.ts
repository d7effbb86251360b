// The peers area: one peer by id — read, change, disable, enable, delete, its client config, and its
// lifecycle rules with their history, moving it to another node, and mailing its share link.
import type { AreaPlugin } from "../../types.js";
import { bulkPeerActionRoute } from "./bulk.post.js";
import { peerConfigRoute } from "./config.get.js";
import { deletePeerRoute } from "./delete.delete.js";
import { disablePeerRoute } from "./disable.post.js";
import { emailPeerRoute } from "./email.post.js";
import { enablePeerRoute } from "./enable.post.js";
import { getPeerRoute } from "./get.get.js";
import { peerLifecycleRoute } from "./lifecycle.get.js";
import { movePeerRoute } from "./move.post.js";
import { peerQrRoute } from "./qr.get.js";
import { updatePeerRoute } from "./update.patch.js";

export const peerRoutes: AreaPlugin = async (app, { context }) => {
  getPeerRoute(app, context);
  updatePeerRoute(app, context);
  deletePeerRoute(app, context);
  disablePeerRoute(app, context);
  enablePeerRoute(app, context);
  peerConfigRoute(app, context);
  peerQrRoute(app, context);
  peerLifecycleRoute(app, context);
  movePeerRoute(app, context);
  bulkPeerActionRoute(app, context);
  emailPeerRoute(app, context);
};
