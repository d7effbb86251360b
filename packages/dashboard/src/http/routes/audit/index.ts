// The audit area: reading the trail. Entries are written by the audit hook (../../audit-hook.ts).
import type { AreaPlugin } from "../../types.js";
import { listAuditRoute } from "./list.get.js";

export const auditRoutes: AreaPlugin = async (app, { context }) => {
  listAuditRoute(app, context);
};
