import { Type } from "@sinclair/typebox";

// Sign-in methods and the single sign-on round trip's queries: declared once in @wgfleet/core.
export {
  SignInMethodsDtoSchema as SignInMethodsSchema,
  SsoCallbackQuerySchema as SsoCallbackQuery,
  SsoStartQuerySchema as SsoStartQuery,
} from "@wgfleet/core";

/** A 302 to the provider, back to a page of the app, or to the sign-in page with the reason. */
export const Redirect = Type.Null({ description: "Redirect (Location header)" });
