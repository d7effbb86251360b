// Login and the session as the API shows it.
import { Type } from "@sinclair/typebox";
import { PASSWORD_MAX_LENGTH } from "../../../auth/password.js";
import { NullableTimestamp } from "../../schemas.js";
import { UserSchema } from "../users/schemas.js";

export const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 256 }),
    password: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH }),
    totp: Type.Optional(
      Type.String({ maxLength: 16, description: "not checked yet (TOTP is not implemented)" }),
    ),
  },
  { additionalProperties: false },
);

export const SessionSchema = Type.Object({
  user: UserSchema,
  /** Send it back as `x-csrf-token` on cookie-authenticated writes; null for API keys. */
  csrfToken: Type.Union([Type.String(), Type.Null()]),
  expiresAt: NullableTimestamp,
  via: Type.Union([Type.Literal("session"), Type.Literal("apikey")]),
});
