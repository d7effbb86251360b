// Nodes as the API shows them and the bodies that change them: declared once in @wgfleet/core (shared
// with the services and the web app), named here for the routes. Never a secret in an answer.
export {
  AdoptInterfaceBodySchema as AdoptInterfaceBody,
  AdoptionDtoSchema as AdoptionSchema,
  AdoptStrayBodySchema as AdoptStrayBody,
  CreateNodeBodySchema as CreateNodeBody,
  DeleteNodeQuerySchema as DeleteNodeQuery,
  DrainAnswerDtoSchema as DrainAnswerSchema,
  DrainNodeBodySchema as DrainNodeBody,
  EnabledNodeDtoSchema as EnabledNodeSchema,
  NodeDriftDtoSchema as NodeDriftSchema,
  NodeDtoSchema as NodeSchema,
  NodeReconcileDtoSchema as NodeReconcileSchema,
  NodeTestDtoSchema as NodeTestSchema,
  PeerDtoSchema as AdoptedPeerSchema,
  PoolUsageDtoSchema as PoolUsageSchema,
  RemoveStraysDtoSchema as RemoveStraysSchema,
  RotateSecretDtoSchema as RotateSecretSchema,
  StrayInterfaceParamsSchema as StrayInterfaceParams,
  UpdateNodeBodySchema as UpdateNodeBody,
} from "@wgfleet/core";
