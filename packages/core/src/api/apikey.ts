// An API key as the dashboard's API answers with it (never its hash, and the key itself only once, in
// the answer to its creation), and the body that creates one.
import { type Static, Type } from "@sinclair/typebox";
import { NullableTimestampSchema, TimestampSchema } from "./timestamp.js";

/**
 * Where a key works: `api` (the default) on the native API only, `wgdashboard` on the
 * WGDashboard-compatible API only (docs/wgdashboard-api.md).
 */
export const API_KEY_SCOPES = ["api", "wgdashboard"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];
export const ApiKeyScopeSchema = Type.Union([Type.Literal("api"), Type.Literal("wgdashboard")]);

export const ApiKeyDtoSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String({ description: "the key's first characters" }),
  userId: Type.String(),
  username: Type.String(),
  createdAt: TimestampSchema,
  lastUsedAt: NullableTimestampSchema,
  revokedAt: NullableTimestampSchema,
  scope: ApiKeyScopeSchema,
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
    scope: Type.Optional(
      Type.Union([Type.Literal("api"), Type.Literal("wgdashboard")], { description: 'default "api"' }),
    ),
  },
  { additionalProperties: false },
);
export type CreateApiKeyBody = Static<typeof CreateApiKeyBodySchema>;
