// The single sign-on area: which sign-in methods are on, and the OpenID Connect round trip.
import type { AreaPlugin } from "../../types.js";
import { ssoCallbackRoute } from "./callback.get.js";
import { signInMethodsRoute } from "./methods.get.js";
import { ssoStartRoute } from "./start.get.js";

export const ssoRoutes: AreaPlugin = async (app, { context }) => {
  signInMethodsRoute(app, context);
  ssoStartRoute(app, context);
  ssoCallbackRoute(app, context);
};
