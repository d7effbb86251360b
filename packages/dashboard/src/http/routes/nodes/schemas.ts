// Nodes as the API shows them and the bodies that change them: declared once in @wgfleet/core (shared
// with the services and the web app), named here for the routes. Never a secret in an answer.
export {
  CreateNodeBodySchema as CreateNodeBody,
  DeleteNodeQuerySchema as DeleteNodeQuery,
  DrainAnswerDtoSchema as DrainAnswerSchema,
  DrainNodeBodySchema as DrainNodeBody,
  EnabledNodeDtoSchema as EnabledNodeSchema,
  NodeDtoSchema as NodeSchema,
  NodeReconcileDtoSchema as NodeReconcileSchema,
  NodeTestDtoSchema as NodeTestSchema,
  PoolUsageDtoSchema as PoolUsageSchema,
  StrayInterfaceParamsSchema as StrayInterfaceParams,
  UpdateNodeBodySchema as UpdateNodeBody,
} from "@wgfleet/core";
