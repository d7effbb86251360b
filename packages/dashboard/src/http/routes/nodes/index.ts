// The nodes area (read side for local mode): the node list, one node, the enabled nodes and pools.
// Node create/edit/delete/test for remote agents come with issue 5.
import type { AreaPlugin } from "../../types.js";
import { enabledNodesRoute } from "./enabled.get.js";
import { getNodeRoute } from "./get.get.js";
import { listNodesRoute } from "./list.get.js";
import { nodePoolsRoute } from "./pools.get.js";

export const nodeRoutes: AreaPlugin = async (app, { context }) => {
  listNodesRoute(app, context);
  getNodeRoute(app, context);
  enabledNodesRoute(app, context);
  nodePoolsRoute(app, context);
};
