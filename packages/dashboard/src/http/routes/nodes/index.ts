// The nodes area: the node list, one node, the enabled nodes and pools; adding, editing, deleting,
// testing and reconciling remote nodes (issue 5), adopting a node's new agent; drift, adopting
// interfaces wgfleet did not create, draining a node and rotating its secret (issue 15).
import type { AreaPlugin } from "../../types.js";
import { adoptInterfaceRoute } from "./adopt.post.js";
import { confirmNodeAgentRoute } from "./confirm-agent.post.js";
import { createNodeRoute } from "./create.post.js";
import { deleteNodeRoute } from "./delete.delete.js";
import { drainNodeRoute } from "./drain.post.js";
import { nodeDriftRoute } from "./drift.get.js";
import { adoptStrayRoute } from "./drift-adopt.post.js";
import { removeStraysRoute } from "./drift-remove-strays.post.js";
import { enabledNodesRoute } from "./enabled.get.js";
import { getNodeRoute } from "./get.get.js";
import { listNodesRoute } from "./list.get.js";
import { nodePoolsRoute } from "./pools.get.js";
import { reconcileNodeRoute } from "./reconcile.post.js";
import { rotateSecretRoute } from "./rotate-secret.post.js";
import { deleteStrayInterfaceRoute } from "./stray-interface.delete.js";
import { testNodeRoute } from "./test.post.js";
import { updateNodeRoute } from "./update.patch.js";

export const nodeRoutes: AreaPlugin = async (app, { context }) => {
  listNodesRoute(app, context);
  getNodeRoute(app, context);
  enabledNodesRoute(app, context);
  nodePoolsRoute(app, context);
  createNodeRoute(app, context);
  updateNodeRoute(app, context);
  deleteNodeRoute(app, context);
  testNodeRoute(app, context);
  reconcileNodeRoute(app, context);
  deleteStrayInterfaceRoute(app, context);
  confirmNodeAgentRoute(app, context);
  nodeDriftRoute(app, context);
  removeStraysRoute(app, context);
  adoptStrayRoute(app, context);
  adoptInterfaceRoute(app, context);
  drainNodeRoute(app, context);
  rotateSecretRoute(app, context);
};
