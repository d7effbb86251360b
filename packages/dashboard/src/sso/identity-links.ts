// Linking a provider's identity (issuer + subject) to an existing user by hand — the admin CLI's
// `wgfleet user link-sso` — for "existing users only", where nobody is created at sign-in. The
// subject is what the provider calls the person (the sign-in page shows it to a refused person).
import { ConflictError, NotFoundError } from "@wgfleet/core";
import type { AuditService } from "../audit/audit.service.js";
import { nowIso } from "../clock.js";
import type { UserService } from "../users/user.service.js";
import type { IdentityRepository } from "./identity.repository.js";

export class IdentityLinks {
  constructor(
    private readonly identities: Pick<IdentityRepository, "find" | "insert" | "deleteForUser">,
    private readonly users: Pick<UserService, "findByUsername">,
    private readonly audit: Pick<AuditService, "record">,
  ) {}

  async link(issuer: string, username: string, subject: string, actor: string): Promise<void> {
    const user = await this.users.findByUsername(username);
    if (!user) throw new NotFoundError(`user ${username}`);
    const linked = await this.identities.find(issuer, subject);
    if (linked) throw new ConflictError(`subject ${subject} is already linked to a user`, "subject");
    await this.identities.insert({
      issuer,
      subject,
      user_id: user.id,
      created_at: nowIso(),
      last_login_at: null,
    });
    await this.audit.record(actor, "user.sso_link", user.id, { issuer, subject });
  }

  /** Removes the user's identities at this issuer; how many there were. */
  async unlink(issuer: string, username: string, actor: string): Promise<number> {
    const user = await this.users.findByUsername(username);
    if (!user) throw new NotFoundError(`user ${username}`);
    const removed = await this.identities.deleteForUser(user.id, issuer);
    await this.audit.record(actor, "user.sso_unlink", user.id, { issuer, removed });
    return removed;
  }
}
