// API keys as the API shows them (the answers are declared in @wgfleet/core, shared with the web app):
// the key itself appears only in the answer to its creation.
import { Type } from "@sinclair/typebox";
import { API_KEY_NAME_MAX_LENGTH } from "../../../apikeys/apikey.service.js";

export {
  ApiKeyDtoSchema as ApiKeySchema,
  CreatedApiKeyDtoSchema as CreatedApiKeySchema,
} from "@wgfleet/core";

export const CreateApiKeyBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: API_KEY_NAME_MAX_LENGTH }),
    userId: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: "default: yourself" })),
  },
  { additionalProperties: false },
);
