// The English catalog, one area per file so parts of the app are translated without touching each
// other. English is the reference: every other language has exactly its keys.
import alerts from "./alerts.js";
import apiDocs from "./api-docs.js";
import audit from "./audit.js";
import auth from "./auth.js";
import charts from "./charts.js";
import common from "./common.js";
import configurations from "./configurations.js";
import nodeDrift from "./drift.js";
import lifecycle from "./lifecycle.js";
import moves from "./moves.js";
import nodes from "./nodes.js";
import overview from "./overview.js";
import peers from "./peers.js";
import settings from "./settings.js";
import sso from "./sso.js";
import webhooks from "./webhooks.js";

const en = {
  common,
  auth,
  settings,
  peers,
  nodes,
  configurations,
  overview,
  charts,
  lifecycle,
  audit,
  sso,
  webhooks,
  nodeDrift,
  moves,
  alerts,
  apiDocs,
};
export type MessageSchema = typeof en;
export default en;
