// How this dashboard lets people sign in (`GET /api/v1/auth/methods`, public): the password form,
// single sign-on through an OpenID Connect provider, or both. The sign-in page shows what is on.
import { type Static, Type } from "@sinclair/typebox";

export const SignInMethodsDtoSchema = Type.Object({
  /** Username and password. */
  password: Type.Boolean(),
  /** Single sign-on; null when not configured. */
  sso: Type.Union([
    Type.Object({
      /** The button's text. */
      label: Type.String(),
      /** Where the button leads (the browser navigates there; it redirects to the provider). */
      startUrl: Type.String(),
    }),
    Type.Null(),
  ]),
});
export type SignInMethodsDto = Static<typeof SignInMethodsDtoSchema>;

/** `GET /api/v1/auth/oidc/start?next=/path`: where to go after signing in. */
export const SsoStartQuerySchema = Type.Object(
  { next: Type.Optional(Type.String({ maxLength: 2048 })) },
  { additionalProperties: false },
);
export type SsoStartQuery = Static<typeof SsoStartQuerySchema>;

/** What the provider sends back to `GET /api/v1/auth/oidc/callback` (checked by the OIDC client). */
export const SsoCallbackQuerySchema = Type.Object(
  {
    code: Type.Optional(Type.String({ maxLength: 4096 })),
    state: Type.Optional(Type.String({ maxLength: 1024 })),
    iss: Type.Optional(Type.String({ maxLength: 2048 })),
    error: Type.Optional(Type.String({ maxLength: 256 })),
    error_description: Type.Optional(Type.String({ maxLength: 2048 })),
    session_state: Type.Optional(Type.String({ maxLength: 1024 })),
  },
  { additionalProperties: true },
);
export type SsoCallbackQuery = Static<typeof SsoCallbackQuerySchema>;
