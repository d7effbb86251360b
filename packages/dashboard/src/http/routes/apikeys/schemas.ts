// API keys as the API shows them: the key itself appears only in the answer to its creation.
import { Type } from "@sinclair/typebox";
import { API_KEY_NAME_MAX_LENGTH } from "../../../apikeys/apikey.service.js";
import { NullableTimestamp, Timestamp } from "../../schemas.js";

export const ApiKeySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String({ description: "the key's first characters" }),
  userId: Type.String(),
  username: Type.String(),
  createdAt: Timestamp,
  lastUsedAt: NullableTimestamp,
  revokedAt: NullableTimestamp,
});

export const CreatedApiKeySchema = Type.Object({
  apiKey: ApiKeySchema,
  key: Type.String({ description: "the key: shown once, never again" }),
});

export const CreateApiKeyBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: API_KEY_NAME_MAX_LENGTH }),
    userId: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: "default: yourself" })),
  },
  { additionalProperties: false },
);
