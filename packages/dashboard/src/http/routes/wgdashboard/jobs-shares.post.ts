// Schedule jobs (→ quota and expiry) and share links.
import type { WgDashboardService } from "../../../wgdashboard/wgd.service.js";
import type { AppContext } from "../../context.js";
import { publicBaseUrl } from "../../public-base-url.js";
import type { TypedApp } from "../../types.js";
import { actorName, bodyOf, WGD_ROUTE } from "./shared.js";

export function scheduleAndShareRoutes(
  app: TypedApp,
  base: string,
  service: WgDashboardService,
  context: AppContext,
): void {
  app.post(`${base}/savePeerScheduleJob`, WGD_ROUTE, async (request) =>
    service.savePeerScheduleJob(bodyOf(request), actorName(request)),
  );
  app.post(`${base}/deletePeerScheduleJob`, WGD_ROUTE, async (request) =>
    service.deletePeerScheduleJob(bodyOf(request), actorName(request)),
  );
  app.post(`${base}/sharePeer/create`, WGD_ROUTE, async (request) =>
    service.sharePeerCreate(bodyOf(request), request.actor, publicBaseUrl(context.config, request)),
  );
  app.get(`${base}/sharePeer/get`, WGD_ROUTE, async (request) =>
    service.sharePeerGet((request.query as Record<string, string | undefined>).ShareID ?? ""),
  );
}
