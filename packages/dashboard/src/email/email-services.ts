// Builds the e-mail services: the SMTP settings, "email this peer" and the warning worker. The
// composition root (services.ts) calls this once, after the domain services it uses (peers, shares).
import type { AuditService } from "../audit/audit.service.js";
import type { Clock } from "../clock.js";
import type { Db } from "../db/index.js";
import type { Logger } from "../logging/logger.js";
import type { SecretBox } from "../secrets/index.js";
import { EmailOutboxRepository } from "./email-outbox.repository.js";
import { EmailSettingsRepository } from "./email-settings.repository.js";
import { EmailSettingsService } from "./email-settings.service.js";
import { type MailedPeers, type MailedShares, PeerEmailService } from "./peer-email.service.js";
import { type SendMail, sendMail } from "./smtp-mailer.js";
import { EmailWarningWorker } from "./warning-worker.js";

export interface EmailServices {
  emailSettings: EmailSettingsService;
  peerEmail: PeerEmailService;
  emailWarnings: EmailWarningWorker;
}

declare module "../http/context.js" {
  interface AppServices extends EmailServices {}
}

export function createEmailServices(deps: {
  db: Db;
  secrets: SecretBox;
  logger: Logger;
  clock: Clock;
  audit: AuditService;
  peers: MailedPeers;
  shares: MailedShares;
  send?: SendMail;
}): EmailServices {
  const send = deps.send ?? sendMail;
  const settings = new EmailSettingsService({
    repository: new EmailSettingsRepository(deps.db),
    secrets: deps.secrets,
    audit: deps.audit,
    send,
    clock: deps.clock,
  });
  return {
    emailSettings: settings,
    peerEmail: new PeerEmailService({
      peers: deps.peers,
      shares: deps.shares,
      settings,
      audit: deps.audit,
      send,
    }),
    emailWarnings: new EmailWarningWorker({
      outbox: new EmailOutboxRepository(deps.db),
      settings,
      send,
      logger: deps.logger,
      clock: deps.clock,
    }),
  };
}
