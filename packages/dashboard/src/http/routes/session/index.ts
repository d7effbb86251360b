// The session area: login, the current session, logout, and who am I.
import type { AreaPlugin } from "../../types.js";
import { currentSessionRoute } from "./current.get.js";
import { loginRoute } from "./login.post.js";
import { logoutRoute } from "./logout.delete.js";
import { meRoute } from "./me.get.js";

export const sessionRoutes: AreaPlugin = async (app, { context }) => {
  loginRoute(app, context);
  currentSessionRoute(app, context);
  logoutRoute(app, context);
  meRoute(app, context);
};
