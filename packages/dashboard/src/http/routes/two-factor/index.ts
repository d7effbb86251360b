// The two-factor area: your own set-up (status, start, confirm, turn off), an admin's reset of a
// user's, and the policy for admins.
import type { AreaPlugin } from "../../types.js";
import { confirmTotpEnrolmentRoute } from "./confirm.post.js";
import { disableOwnTotpRoute } from "./disable.post.js";
import { startTotpEnrolmentRoute } from "./enrol.post.js";
import { twoFactorPolicyRoute } from "./policy.get.js";
import { updateTwoFactorPolicyRoute } from "./policy.put.js";
import { resetTotpRoute } from "./reset.delete.js";
import { twoFactorStatusRoute } from "./status.get.js";

export const twoFactorRoutes: AreaPlugin = async (app, { context }) => {
  twoFactorStatusRoute(app, context);
  startTotpEnrolmentRoute(app, context);
  confirmTotpEnrolmentRoute(app, context);
  disableOwnTotpRoute(app, context);
  resetTotpRoute(app, context);
  twoFactorPolicyRoute(app, context);
  updateTwoFactorPolicyRoute(app, context);
};
