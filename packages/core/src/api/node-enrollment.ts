// Enrolling and re-keying nodes (issue 15): the answer of a node's secret rotation, one-time join tokens
// an admin makes for a new server, and the public join call its agent makes with one. A token is shown
// once, in the answer that creates it; no answer ever holds a node's secret.
import { type Static, Type } from "@sinclair/typebox";
import { CreateNodeBodySchema } from "./node.js";
import { TimestampSchema } from "./timestamp.js";

/** `POST /api/v1/nodes/:id/rotate-secret`. */
export const RotateSecretDtoSchema = Type.Object({
  nodeId: Type.String(),
  /** The key id the dashboard signs with now (not secret: 8 hex digits of the secret's SHA-256). */
  keyId: Type.String(),
  /** false when the agent did not confirm yet: it still accepts the old key; the dashboard retries. */
  previousDropped: Type.Boolean(),
});
export type RotateSecretDto = Static<typeof RotateSecretDtoSchema>;

export const JOIN_TOKEN_DEFAULT_MINUTES = 60;
export const JOIN_TOKEN_MAX_MINUTES = 7 * 24 * 60;

/** `POST /api/v1/join-tokens`. */
export const CreateJoinTokenBodySchema = Type.Object(
  {
    expiresInMinutes: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: JOIN_TOKEN_MAX_MINUTES,
        description: `default ${JOIN_TOKEN_DEFAULT_MINUTES}`,
      }),
    ),
    name: Type.Optional(
      Type.String({ minLength: 1, maxLength: 63, description: "a note: which server it is for" }),
    ),
  },
  { additionalProperties: false },
);
export type CreateJoinTokenBody = Static<typeof CreateJoinTokenBodySchema>;

export const JoinTokenStatusSchema = Type.Union([
  Type.Literal("active"),
  Type.Literal("used"),
  Type.Literal("expired"),
]);
export type JoinTokenStatus = Static<typeof JoinTokenStatusSchema>;

/** A join token as listed: never the token itself. */
export const JoinTokenDtoSchema = Type.Object({
  id: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  status: JoinTokenStatusSchema,
  createdBy: Type.String(),
  createdAt: TimestampSchema,
  expiresAt: TimestampSchema,
  usedAt: Type.Union([TimestampSchema, Type.Null()]),
  /** The node that joined with it, while it exists. */
  nodeId: Type.Union([Type.String(), Type.Null()]),
});
export type JoinTokenDto = Static<typeof JoinTokenDtoSchema>;

/** The answer that creates a token: the only time the token is shown. */
export const CreatedJoinTokenDtoSchema = Type.Object({
  id: Type.String(),
  token: Type.String(),
  expiresAt: TimestampSchema,
  /** The `wgfleet-agent join …` line to paste on the new server (placeholders in CAPITALS). */
  command: Type.String(),
  /** The same for a server behind NAT or a firewall: its agent dials out to the dashboard, no port open. */
  commandDialOut: Type.String(),
});
export type CreatedJoinTokenDto = Static<typeof CreatedJoinTokenDtoSchema>;

/** `POST /api/v1/join` (public): a node as POST /api/v1/nodes takes it, with a join token instead of a login. */
export const JoinBodySchema = Type.Object(
  {
    token: Type.String({ minLength: 1, maxLength: 200 }),
    ...CreateNodeBodySchema.properties,
  },
  { additionalProperties: false },
);
export type JoinBody = Static<typeof JoinBodySchema>;
