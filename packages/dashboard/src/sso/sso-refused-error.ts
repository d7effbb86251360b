// Why a single sign-on did not end in a session. The callback route sends the browser to the sign-in
// page with the reason, which the page explains in the person's language.
export type SsoRefusal =
  /** The attempt cookie is missing, altered or too old (another browser, or a long pause). */
  | "expired"
  /** The provider said no, could not be reached, or a check (state, nonce, PKCE, ID token) failed. */
  | "failed"
  /** The role claim carries no value that grants a role. */
  | "no_role"
  /** Existing users only, and this identity is linked to none. */
  | "not_linked"
  /** The claim would take the admin role from the last admin. */
  | "last_admin";

export class SsoRefusedError extends Error {
  constructor(
    readonly reason: SsoRefusal,
    message: string,
    /** The provider's subject, shown on the page so an admin can link it. */
    readonly subject?: string,
  ) {
    super(message);
  }
}
