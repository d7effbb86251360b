// A user and the session as the dashboard's API answers with them: never a password hash, a TOTP
// secret or the session token itself (that travels only in the cookie).
import { type Static, Type } from "@sinclair/typebox";
import { NullableTimestampSchema, TimestampSchema } from "./timestamp.js";

export const UserRoleSchema = Type.Union([Type.Literal("admin"), Type.Literal("viewer")]);
export type UserRole = Static<typeof UserRoleSchema>;

export const UserDtoSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  role: UserRoleSchema,
  mustChangePassword: Type.Boolean(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type UserDto = Static<typeof UserDtoSchema>;

/** `POST /api/v1/session` and `GET /api/v1/session`. */
export const SessionDtoSchema = Type.Object({
  user: UserDtoSchema,
  /** Send it back as `x-csrf-token` on cookie-authenticated writes; null for API keys. */
  csrfToken: Type.Union([Type.String(), Type.Null()]),
  expiresAt: NullableTimestampSchema,
  via: Type.Union([Type.Literal("session"), Type.Literal("apikey")]),
});
export type SessionDto = Static<typeof SessionDtoSchema>;
