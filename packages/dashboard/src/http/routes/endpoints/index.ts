// The endpoints area: checking an endpoint an admin types and guessing this server's public host.
import type { AreaPlugin } from "../../types.js";
import { checkEndpointRoute } from "./check.post.js";
import { endpointGuessesRoute } from "./guesses.get.js";

export const endpointRoutes: AreaPlugin = async (app, { context }) => {
  checkEndpointRoute(app, context);
  endpointGuessesRoute(app, context);
};
