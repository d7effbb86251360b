// Configurations, their interfaces and the bodies that change them: declared once in @wgfleet/core
// (shared with the services and the web app), named here for the routes.
export {
  AddInterfaceBodySchema as AddInterfaceBody,
  AdoptionDtoSchema as AdoptionSchema,
  ConfigurationDtoSchema as ConfigurationSchema,
  ConfigurationNameParamsSchema as ConfigurationNameParams,
  CreateConfigurationBodySchema as CreateConfigurationBody,
  ForceQuerySchema as ForceQuery,
  ImportConfigurationBodySchema as ImportConfigurationBody,
  InterfaceDtoSchema as InterfaceSchema,
  InterfaceNodeParamsSchema as InterfaceNodeParams,
  UpdateConfigurationBodySchema as UpdateConfigurationBody,
  UpdatedInterfaceDtoSchema as UpdatedInterfaceSchema,
  UpdateInterfaceBodySchema as UpdateInterfaceBody,
} from "@wgfleet/core";
