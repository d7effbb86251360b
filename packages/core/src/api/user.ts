// A user and the session as the dashboard's API answers with them (never a password hash, a TOTP
// secret or the session token itself: that travels only in the cookie), and the bodies that sign in
// and change users, with the username and password rules they share with the admin CLI.
import { type Static, Type } from "@sinclair/typebox";
import { NullableTimestampSchema, TimestampSchema } from "./timestamp.js";

export const UserRoleSchema = Type.Union([Type.Literal("admin"), Type.Literal("viewer")]);
export type UserRole = Static<typeof UserRoleSchema>;

export const UserDtoSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  role: UserRoleSchema,
  mustChangePassword: Type.Boolean(),
  /** Two-factor sign-in (TOTP) is set up: login asks for a code after the password. */
  totpEnabled: Type.Boolean(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type UserDto = Static<typeof UserDtoSchema>;

/** `POST /api/v1/session` and `GET /api/v1/session` when someone is signed in. */
export const SessionDtoSchema = Type.Object({
  authenticated: Type.Literal(true),
  user: UserDtoSchema,
  /** Send it back as `x-csrf-token` on cookie-authenticated writes; null for API keys. */
  csrfToken: Type.Union([Type.String(), Type.Null()]),
  expiresAt: NullableTimestampSchema,
  via: Type.Union([Type.Literal("session"), Type.Literal("apikey")]),
  /** Two-factor sign-in is required of this user and not set up: every other route answers 403 until it is. */
  mustEnrolTotp: Type.Boolean(),
});
export type SessionDto = Static<typeof SessionDtoSchema>;

/** `GET /api/v1/session` without a valid session cookie or API key: an answer, not an error. */
export const SignedOutDtoSchema = Type.Object({ authenticated: Type.Literal(false) });
export type SignedOutDto = Static<typeof SignedOutDtoSchema>;

/** `GET /api/v1/session`: the session, or that nobody is signed in. */
export const CurrentSessionDtoSchema = Type.Union([SessionDtoSchema, SignedOutDtoSchema]);
export type CurrentSessionDto = Static<typeof CurrentSessionDtoSchema>;

export const USERNAME_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$";
export const PASSWORD_MIN_LENGTH = 8;
/** Long enough for any passphrase, short enough that hashing it is no denial of service. */
export const PASSWORD_MAX_LENGTH = 256;

export const UsernameSchema = Type.String({ pattern: USERNAME_PATTERN, maxLength: 64 });
export const NewPasswordSchema = Type.String({
  minLength: PASSWORD_MIN_LENGTH,
  maxLength: PASSWORD_MAX_LENGTH,
});

/** `POST /api/v1/session`. */
export const LoginBodySchema = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 256 }),
    password: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH }),
    totp: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 32,
        description:
          "for users with two-factor sign-in: the 6-digit code of the authenticator app, or a recovery code",
      }),
    ),
  },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBodySchema>;

/** `POST /api/v1/users`. */
export const CreateUserBodySchema = Type.Object(
  {
    username: UsernameSchema,
    password: NewPasswordSchema,
    role: Type.Optional(UserRoleSchema),
    mustChangePassword: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CreateUserBody = Static<typeof CreateUserBodySchema>;

/** `PATCH /api/v1/users/:id`: at least one field. */
export const UpdateUserBodySchema = Type.Object(
  {
    username: Type.Optional(UsernameSchema),
    role: Type.Optional(UserRoleSchema),
    password: Type.Optional(NewPasswordSchema),
    mustChangePassword: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateUserBody = Static<typeof UpdateUserBodySchema>;

/** `POST /api/v1/users/me/password`. */
export const ChangePasswordBodySchema = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH }),
    newPassword: NewPasswordSchema,
  },
  { additionalProperties: false },
);
export type ChangePasswordBody = Static<typeof ChangePasswordBodySchema>;
