// An API key as the dashboard's API answers with it (never its hash, and the key itself only once, in
// the answer to its creation), and the body that creates one.
import { type Static, Type } from "@sinclair/typebox";
import { NullableTimestampSchema, TimestampSchema } from "./timestamp.js";

export const ApiKeyDtoSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String({ description: "the key's first characters" }),
  userId: Type.String(),
  username: Type.String(),
  createdAt: TimestampSchema,
  lastUsedAt: NullableTimestampSchema,
  revokedAt: NullableTimestampSchema,
});
export type ApiKeyDto = Static<typeof ApiKeyDtoSchema>;

/** `POST /api/v1/apikeys`. */
export const CreatedApiKeyDtoSchema = Type.Object({
  apiKey: ApiKeyDtoSchema,
  key: Type.String({ description: "the key: shown once, never again" }),
});
export type CreatedApiKeyDto = Static<typeof CreatedApiKeyDtoSchema>;

export const API_KEY_NAME_MAX_LENGTH = 100;

/** `POST /api/v1/apikeys`. */
export const CreateApiKeyBodySchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: API_KEY_NAME_MAX_LENGTH }),
    userId: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: "default: yourself" })),
  },
  { additionalProperties: false },
);
export type CreateApiKeyBody = Static<typeof CreateApiKeyBodySchema>;
