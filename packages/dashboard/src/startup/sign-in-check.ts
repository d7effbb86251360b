// Turning password sign-in off must not lock everyone out. So `serve --no-local-login` starts only
// when the OIDC provider answers its discovery now and an admin can come in through it: with the
// claim rule, admin values are configured; with existing users only, an admin is linked already.
// Otherwise it stops with the reason; starting without --no-local-login is always the way back.
import { ValidationError } from "@wgfleet/core";
import type { SignInSettings } from "../config/sign-in-settings.js";
import type { SingleSignOn } from "../sso/index.js";

export async function assertSignInPossible(signIn: SignInSettings, sso: SingleSignOn | null): Promise<void> {
  if (signIn.localLogin) return;
  const refuse = (why: string) =>
    new ValidationError(
      "--no-local-login",
      `${why}; start without --no-local-login to sign in with a password`,
    );
  if (!sso) throw refuse("single sign-on is not configured");
  try {
    await sso.client.discover();
  } catch (error) {
    throw refuse(`the OIDC provider ${sso.settings.issuer} does not answer (${(error as Error).message})`);
  }
  if (sso.settings.provisioning === "claim" && sso.settings.adminValues.length === 0) {
    throw refuse("no --oidc-admin-values: nobody could sign in as an admin");
  }
  if (sso.settings.provisioning === "existing" && (await sso.login.adminsLinked()) === 0) {
    throw refuse("no admin is linked to the OIDC provider yet (wgfleet user link-sso)");
  }
}
