// GET routes: handshake, configurations and their info, free addresses, config downloads, system status.

import { ok } from "../../../wgdashboard/envelope.js";
import type { WgDashboardService } from "../../../wgdashboard/wgd.service.js";
import { systemStatus } from "../../../wgdashboard/wgd-system.js";
import type { TypedApp } from "../../types.js";
import { WGD_ROUTE } from "./shared.js";

type Query = Record<string, string | undefined>;
type Params = { configName: string };

export function readRoutes(app: TypedApp, base: string, service: WgDashboardService): void {
  app.get(`${base}/handshake`, WGD_ROUTE, async () => ok());
  app.get(`${base}/getWireguardConfigurations`, WGD_ROUTE, async () => service.configurations());
  app.get(`${base}/getWireguardConfigurationInfo`, WGD_ROUTE, async (request) =>
    service.configurationInfo((request.query as Query).configurationName ?? ""),
  );
  app.get(`${base}/getAvailableIPs/:configName`, WGD_ROUTE, async (request) =>
    service.availableIps((request.params as Params).configName),
  );
  app.get(`${base}/getNumberOfAvailableIPs/:configName`, WGD_ROUTE, async (request) =>
    service.availableIpCounts((request.params as Params).configName),
  );
  app.get(`${base}/downloadPeer/:configName`, WGD_ROUTE, async (request) =>
    service.downloadPeer((request.params as Params).configName, (request.query as Query).id ?? ""),
  );
  app.get(`${base}/downloadAllPeers/:configName`, WGD_ROUTE, async (request) =>
    service.downloadAllPeers((request.params as Params).configName),
  );
  app.get(`${base}/systemStatus`, WGD_ROUTE, async () => ok(await systemStatus()));
}
