// `wgfleet user link-sso NAME --subject SUB [--issuer URL]` and `wgfleet user unlink-sso NAME`: tie a
// single sign-on identity to an existing user, or untie it. The issuer defaults to WGFLEET_OIDC_ISSUER
// (the one `serve` uses); the subject is the provider's id for the person (its `sub` claim; a refused
// sign-in shows it).
import { IdentityLinks, IdentityRepository } from "../sso/index.js";
import { openAdminContext } from "./common.js";
import { type CliIo, UsageError } from "./io.js";

export interface SsoLinkFlags {
  subject?: string;
  issuer?: string;
  "data-dir"?: string;
  "log-format"?: string;
}

export async function ssoLinkCommand(
  action: "link-sso" | "unlink-sso",
  name: string,
  values: SsoLinkFlags,
  io: CliIo,
): Promise<number> {
  const issuer = (values.issuer ?? io.env.WGFLEET_OIDC_ISSUER ?? "").replace(/\/$/, "");
  if (!issuer) throw new UsageError(`user ${action}: --issuer is required (or WGFLEET_OIDC_ISSUER)`);
  if (action === "link-sso" && !values.subject) throw new UsageError("user link-sso: --subject is required");
  const admin = await openAdminContext(values, io);
  try {
    const { services, db } = admin.context;
    const links = new IdentityLinks(new IdentityRepository(db), services.users, services.audit);
    if (action === "link-sso") {
      await links.link(issuer, name, values.subject as string, "cli");
      io.err(`linked "${name}" to subject ${values.subject} at ${issuer}`);
    } else {
      const removed = await links.unlink(issuer, name, "cli");
      io.err(
        `removed ${removed} single sign-on identit${removed === 1 ? "y" : "ies"} of "${name}" at ${issuer}`,
      );
    }
    return 0;
  } finally {
    await admin.close();
  }
}
