// The WGDashboard-compatible API (issue 18, docs/wgdashboard-api.md): WGDashboard 4.3's paths under
// `<prefix>/api/`, only when `--wgdashboard-api` is on. Routes are thin: each reads WGDashboard's
// parameters and calls the WgDashboardService; the scope's hook checks the key, its error handler
// answers in WGDashboard's envelope. Hidden from the OpenAPI document (its shapes are WGDashboard's).
import { WgDashboardService } from "../../../wgdashboard/wgd.service.js";
import type { AreaPlugin } from "../../types.js";
import { checkWgdKey } from "./auth.js";
import { registerWgdErrors } from "./errors.js";
import { scheduleAndShareRoutes } from "./jobs-shares.post.js";
import { peerRoutes } from "./peers.post.js";
import { readRoutes } from "./reads.get.js";

export const wgdashboardRoutes: AreaPlugin = async (app, { context }) => {
  const settings = context.config.wgdashboard;
  if (!settings?.enabled) return;
  const s = context.services;
  const service = new WgDashboardService({
    configurations: s.configurations,
    peers: s.peers,
    peerQueries: s.peerQueries,
    peerConfigs: s.peerConfigs,
    shares: s.shares,
  });
  app.addHook("onRequest", (request, reply) => checkWgdKey(request, reply, context));
  registerWgdErrors(app);
  const base = `${settings.prefix}/api`;
  readRoutes(app, base, service);
  peerRoutes(app, base, service);
  scheduleAndShareRoutes(app, base, service, context);
};
