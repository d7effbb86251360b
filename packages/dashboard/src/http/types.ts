// The Fastify instance type every route file gets (TypeBox type provider), and the shape of an area's
// plugin: `export const peerRoutes: AreaPlugin = async (app, { context }) => { app.get(...) }`.
import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from "fastify";
import type { AppContext } from "./context.js";

export type TypedApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export interface AreaOptions {
  context: AppContext;
}

/** One area's routes (a folder under routes/), registered from routes/index.ts. */
export type AreaPlugin = FastifyPluginAsyncTypebox<AreaOptions>;
