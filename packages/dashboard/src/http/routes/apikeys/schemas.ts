// API keys as the API shows them and the body that creates one: declared once in @wgfleet/core
// (shared with the web app). The key itself appears only in the answer to its creation.
export {
  ApiKeyDtoSchema as ApiKeySchema,
  CreateApiKeyBodySchema as CreateApiKeyBody,
  CreatedApiKeyDtoSchema as CreatedApiKeySchema,
} from "@wgfleet/core";
