// Where a refused or failed single sign-on sends the browser: the sign-in page, which explains the
// reason (and shows the provider's subject, so an admin can link or grant it).
import type { SsoRefusal } from "../../../sso/index.js";

export function refusalLocation(reason: SsoRefusal, subject?: string): string {
  const query = new URLSearchParams({ sso: reason });
  if (subject) query.set("subject", subject.slice(0, 255));
  return `/sign-in?${query.toString()}`;
}
