// The webhooks area: one file per route (admins only).
import type { AreaPlugin } from "../../types.js";
import { createWebhookRoute } from "./create.post.js";
import { deleteWebhookRoute } from "./delete.delete.js";
import { webhookDeliveriesRoute } from "./deliveries.get.js";
import { getWebhookRoute } from "./get.get.js";
import { listWebhooksRoute } from "./list.get.js";
import { testWebhookRoute } from "./test.post.js";
import { updateWebhookRoute } from "./update.patch.js";

export const webhookRoutes: AreaPlugin = async (app, { context }) => {
  listWebhooksRoute(app, context);
  getWebhookRoute(app, context);
  createWebhookRoute(app, context);
  updateWebhookRoute(app, context);
  deleteWebhookRoute(app, context);
  testWebhookRoute(app, context);
  webhookDeliveriesRoute(app, context);
};
