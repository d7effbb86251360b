// Share links: a peer's client config handed out through an unguessable link that needs no login.
// The link's token appears only in the answer to its creation (as part of `url`); the dashboard keeps
// its SHA-256 alone, so a listed link can be revoked but never shown again.
import { type Static, Type } from "@sinclair/typebox";
import { NullableTimestampSchema, TimestampSchema } from "./timestamp.js";

export const SHARE_LINK_DEFAULT_HOURS = 168;
/** A year: a link meant to live longer should be a new link. */
export const SHARE_LINK_MAX_HOURS = 8760;

/** `POST /api/v1/peers/:id/share`. */
export const CreateShareLinkBodySchema = Type.Object(
  {
    expiresInHours: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: SHARE_LINK_MAX_HOURS,
        description: `hours the link works; default ${SHARE_LINK_DEFAULT_HOURS}`,
      }),
    ),
    oneTime: Type.Optional(
      Type.Boolean({ description: "the first config download spends the link; default false" }),
    ),
  },
  { additionalProperties: false },
);
export type CreateShareLinkBody = Static<typeof CreateShareLinkBodySchema>;

/** The answer to `POST /api/v1/peers/:id/share`: the only time the link's address is shown. */
export const CreatedShareLinkDtoSchema = Type.Object({
  id: Type.String(),
  url: Type.String({ description: "the public page: shown once, never again" }),
  expiresAt: TimestampSchema,
  oneTime: Type.Boolean(),
});
export type CreatedShareLinkDto = Static<typeof CreatedShareLinkDtoSchema>;

/** A link as `GET /api/v1/peers/:id/shares` and `DELETE /api/v1/shares/:id` show it (no token). */
export const ShareLinkDtoSchema = Type.Object({
  id: Type.String(),
  peerId: Type.String(),
  createdAt: TimestampSchema,
  createdBy: Type.Union([Type.String(), Type.Null()], { description: "who made it" }),
  expiresAt: TimestampSchema,
  oneTime: Type.Boolean(),
  /** When a one-time link was spent. */
  usedAt: NullableTimestampSchema,
  revokedAt: NullableTimestampSchema,
  status: Type.Union(
    [Type.Literal("active"), Type.Literal("spent"), Type.Literal("expired"), Type.Literal("revoked")],
    { description: "active, or why the link no longer works" },
  ),
});
export type ShareLinkDto = Static<typeof ShareLinkDtoSchema>;
export type ShareLinkStatus = ShareLinkDto["status"];

export const ShareLinkListDtoSchema = Type.Object({ items: Type.Array(ShareLinkDtoSchema) });
export type ShareLinkListDto = Static<typeof ShareLinkListDtoSchema>;
