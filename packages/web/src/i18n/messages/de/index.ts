// The German catalog: the same areas and keys as English (each area file is checked against it).
import type { MessageSchema } from "../en/index.js";
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

const de = {
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
} satisfies MessageSchema;
export default de;
