// Every area's routes, registered in this order by app.ts. An area is a folder under routes/ whose
// index.ts exports an AreaPlugin (see ../types.ts). To add one: import it and append it to the list.
import type { AreaPlugin } from "../types.js";
import { alertRoutes } from "./alerts/index.js";
import { apiKeyRoutes } from "./apikeys/index.js";
import { auditRoutes } from "./audit/index.js";
import { configurationRoutes } from "./configurations/index.js";
import { endpointRoutes } from "./endpoints/index.js";
import { healthRoutes } from "./health/index.js";
import { jobRoutes } from "./jobs/index.js";
import { joinTokenRoutes } from "./join-tokens/index.js";
import { lifecycleRoutes } from "./lifecycle/index.js";
import { nodeRoutes } from "./nodes/index.js";
import { peerRoutes } from "./peers/index.js";
import { sessionRoutes } from "./session/index.js";
import { settingsRoutes } from "./settings/index.js";
import { shareRoutes } from "./shares/index.js";
import { ssoRoutes } from "./sso/index.js";
import { statsRoutes } from "./stats/index.js";
import { twoFactorRoutes } from "./two-factor/index.js";
import { userRoutes } from "./users/index.js";
import { webhookRoutes } from "./webhooks/index.js";
import { wgdashboardRoutes } from "./wgdashboard/index.js";

export const areaPlugins: AreaPlugin[] = [
  healthRoutes,
  sessionRoutes,
  ssoRoutes,
  userRoutes,
  apiKeyRoutes,
  twoFactorRoutes,
  // ---- domain areas (configurations, peers, nodes) go below this line ----
  configurationRoutes,
  peerRoutes,
  lifecycleRoutes,
  nodeRoutes,
  statsRoutes,
  endpointRoutes,
  auditRoutes,
  webhookRoutes,
  shareRoutes,
  jobRoutes,
  settingsRoutes,
  alertRoutes,
  joinTokenRoutes,
  // Only with --wgdashboard-api (it registers nothing otherwise).
  wgdashboardRoutes,
];
