// The configurations area: configurations, putting them on nodes, and their peer collections.
import type { AreaPlugin } from "../../types.js";
import { createConfigurationRoute } from "./create.post.js";
import { deleteConfigurationRoute } from "./delete.delete.js";
import { getConfigurationRoute } from "./get.get.js";
import { importConfigurationRoute } from "./import.post.js";
import { removeInterfaceRoute } from "./interface.delete.js";
import { updateInterfaceRoute } from "./interface.patch.js";
import { addInterfaceRoute } from "./interfaces.post.js";
import { listConfigurationsRoute } from "./list.get.js";
import { peerConfigsZipGetRoute } from "./peer-configs-zip.get.js";
import { peerConfigsZipPostRoute } from "./peer-configs-zip.post.js";
import { listPeersRoute } from "./peers.get.js";
import { createPeerRoute } from "./peers.post.js";
import { bulkCreatePeersRoute } from "./peers-bulk.post.js";
import { exportPeersCsvRoute } from "./peers-csv.get.js";
import { importPeersCsvRoute } from "./peers-import-csv.post.js";
import { placementRoute } from "./placement.get.js";
import { updateConfigurationRoute } from "./update.patch.js";

export const configurationRoutes: AreaPlugin = async (app, { context }) => {
  listConfigurationsRoute(app, context);
  createConfigurationRoute(app, context);
  getConfigurationRoute(app, context);
  updateConfigurationRoute(app, context);
  deleteConfigurationRoute(app, context);
  addInterfaceRoute(app, context);
  updateInterfaceRoute(app, context);
  removeInterfaceRoute(app, context);
  listPeersRoute(app, context);
  createPeerRoute(app, context);
  peerConfigsZipGetRoute(app, context);
  peerConfigsZipPostRoute(app, context);
  placementRoute(app, context);
  importConfigurationRoute(app, context);
  bulkCreatePeersRoute(app, context);
  exportPeersCsvRoute(app, context);
  importPeersCsvRoute(app, context);
};
