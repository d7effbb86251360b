// POST routes on a configuration's peers: add (single or bulk), update, delete, restrict, allow, reset.
import { CONFIGURATION_MISSING, WgdRefusal } from "../../../wgdashboard/envelope.js";
import type { WgDashboardService } from "../../../wgdashboard/wgd.service.js";
import type { TypedApp } from "../../types.js";
import { actorName, bodyOf, peerKeysOf, WGD_ROUTE } from "./shared.js";

type Params = { configName: string };

/** WGDashboard answers an unknown configuration with 404 on delete and restrict. */
async function notFoundAs404<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof WgdRefusal && error.message === CONFIGURATION_MISSING) {
      throw new WgdRefusal(error.message, 404);
    }
    throw error;
  }
}

export function peerRoutes(app: TypedApp, base: string, service: WgDashboardService): void {
  app.post(`${base}/addPeers/:configName`, WGD_ROUTE, async (request) =>
    service.addPeers((request.params as Params).configName, bodyOf(request), actorName(request)),
  );
  app.post(`${base}/updatePeerSettings/:configName`, WGD_ROUTE, async (request) =>
    service.updatePeer((request.params as Params).configName, bodyOf(request), actorName(request)),
  );
  app.post(`${base}/deletePeers/:configName`, WGD_ROUTE, async (request, reply) => {
    const body = bodyOf(request);
    if (Array.isArray(body.peers) && body.peers.length === 0) {
      return reply.code(400).send({ status: false, message: "Please specify one or more peers", data: null });
    }
    return notFoundAs404(() =>
      service.deletePeers((request.params as Params).configName, peerKeysOf(body), actorName(request)),
    );
  });
  app.post(`${base}/restrictPeers/:configName`, WGD_ROUTE, async (request) =>
    notFoundAs404(() =>
      service.restrictPeers(
        (request.params as Params).configName,
        peerKeysOf(bodyOf(request)),
        actorName(request),
      ),
    ),
  );
  app.post(`${base}/allowAccessPeers/:configName`, WGD_ROUTE, async (request) =>
    service.allowAccessPeers(
      (request.params as Params).configName,
      peerKeysOf(bodyOf(request)),
      actorName(request),
    ),
  );
  app.post(`${base}/resetPeerData/:configName`, WGD_ROUTE, async (request) =>
    service.resetPeerData((request.params as Params).configName, bodyOf(request), actorName(request)),
  );
}
