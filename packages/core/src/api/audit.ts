// An audit trail entry as `GET /api/v1/audit` answers with it, and that route's query. `changes` maps a
// field to its values before and after, or to {changed: true} for a secret (whose values are never kept).
import { type Static, Type } from "@sinclair/typebox";
import { TimestampSchema } from "./timestamp.js";

const NullableString = Type.Union([Type.String(), Type.Null()]);

export const AuditChangeSchema = Type.Union([
  Type.Object({ before: Type.Unknown(), after: Type.Unknown() }),
  Type.Object({ changed: Type.Literal(true) }),
]);

export const AuditEntryDtoSchema = Type.Object({
  id: Type.Integer(),
  at: TimestampSchema,
  actor: Type.String({ description: 'the user, or "system" / "cli" for work nobody requested over HTTP' }),
  apiKey: Type.Union([Type.String(), Type.Null()], { description: "the API key's name when one was used" }),
  action: Type.String({ description: 'e.g. "peer.update"' }),
  entity: NullableString,
  target: NullableString,
  address: Type.Union([Type.String(), Type.Null()], { description: "the client's address" }),
  changes: Type.Union([Type.Record(Type.String(), AuditChangeSchema), Type.Null()]),
  details: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
});
export type AuditEntryDto = Static<typeof AuditEntryDtoSchema>;

export const AuditPageDtoSchema = Type.Object({
  items: Type.Array(AuditEntryDtoSchema),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export type AuditPageDto = Static<typeof AuditPageDtoSchema>;

/** `GET /api/v1/audit`. */
export const AuditQuerySchema = Type.Object(
  {
    actor: Type.Optional(Type.String({ maxLength: 200, description: "a user's or an API key's name" })),
    entity: Type.Optional(Type.String({ maxLength: 300, description: '"peer", or "peer:ID" for one' })),
    action: Type.Optional(
      Type.String({ maxLength: 100, description: '"peer.update", or "peer" for all of a kind' }),
    ),
    from: Type.Optional(Type.String({ maxLength: 40, description: "ISO time, inclusive" })),
    to: Type.Optional(Type.String({ maxLength: 40, description: "ISO time, exclusive" })),
    cursor: Type.Optional(Type.String({ maxLength: 20 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, description: "default 50" })),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuerySchema>;
