// Join tokens and the public join call: declared once in @wgfleet/core, named here for the routes.
import { Type } from "@sinclair/typebox";
import { JoinTokenDtoSchema } from "@wgfleet/core";

export {
  CreatedJoinTokenDtoSchema as CreatedJoinTokenSchema,
  CreateJoinTokenBodySchema as CreateJoinTokenBody,
  JoinBodySchema as JoinBody,
  NodeDtoSchema as JoinedNodeSchema,
} from "@wgfleet/core";

export const JoinTokenListSchema = Type.Object({ items: Type.Array(JoinTokenDtoSchema) });
