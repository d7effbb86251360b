// "Email this peer": makes a share link with the share service (so it is listed and revocable like
// any other) and mails the link to the given address or the peer's contact address. The mail holds the
// link only, never the config or a key. When the mail cannot be sent the link is removed again: nobody
// got it, and the request changes nothing.
import {
  type CreatedShareLinkDto,
  type CreateShareLinkBody,
  checkEmailAddress,
  type SendPeerEmailBody,
  type SentPeerEmailDto,
  ValidationError,
} from "@wgfleet/core";
import type { AuditService } from "../audit/audit.service.js";
import { type ActorRef, auditName } from "../auth/actor.js";
import type { EmailSettingsService } from "./email-settings.service.js";
import { shareLinkMail } from "./mail-texts.js";
import type { SendMail } from "./smtp-mailer.js";

/** What this needs of the peers folder (the peer service fits). */
export interface MailedPeers {
  context(peerId: string): Promise<{ peer: { id: string; name: string; contact_email: string | null } }>;
}

/** What this needs of the share service. */
export interface MailedShares {
  create(
    peerId: string,
    input: CreateShareLinkBody,
    actor: ActorRef,
    baseUrl: string,
  ): Promise<CreatedShareLinkDto>;
  discard(id: string): Promise<void>;
}

export class PeerEmailService {
  constructor(
    private readonly deps: {
      peers: MailedPeers;
      shares: MailedShares;
      settings: Pick<EmailSettingsService, "smtp">;
      audit: Pick<AuditService, "recordEvent">;
      send: SendMail;
    },
  ) {}

  async send(
    peerId: string,
    body: SendPeerEmailBody,
    actor: ActorRef,
    baseUrl: string,
  ): Promise<SentPeerEmailDto> {
    const { peer } = await this.deps.peers.context(peerId);
    const to = body.to !== undefined ? checkEmailAddress(body.to, "to") : peer.contact_email;
    if (!to) throw new ValidationError("to", "give an address: the peer has no contact e-mail address");
    const smtp = await this.deps.settings.smtp({ requireEnabled: true });
    const link = await this.deps.shares.create(
      peer.id,
      body.expiresInHours === undefined ? {} : { expiresInHours: body.expiresInHours },
      actor,
      baseUrl,
    );
    try {
      await this.deps.send(smtp, shareLinkMail(to, peer.name, link.url, link.expiresAt));
    } catch (error) {
      await this.deps.shares.discard(link.id);
      throw error;
    }
    await this.deps.audit.recordEvent(auditName(actor), {
      action: "peer.email",
      target: peer.id,
      details: { to, shareId: link.id, expiresAt: link.expiresAt },
    });
    return { to, shareId: link.id, expiresAt: link.expiresAt };
  }
}
