// The users area: one file per route.
import type { AreaPlugin } from "../../types.js";
import { changeOwnPasswordRoute } from "./change-password.post.js";
import { createUserRoute } from "./create.post.js";
import { deleteUserRoute } from "./delete.delete.js";
import { listUsersRoute } from "./list.get.js";
import { updateUserRoute } from "./update.patch.js";

export const userRoutes: AreaPlugin = async (app, { context }) => {
  listUsersRoute(app, context);
  createUserRoute(app, context);
  updateUserRoute(app, context);
  deleteUserRoute(app, context);
  changeOwnPasswordRoute(app, context);
};
