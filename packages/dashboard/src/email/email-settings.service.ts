// The SMTP settings: read (never the password, only whether one is set), replaced as a whole after
// checks (an omitted password keeps the stored one), and tried with a test mail. The password is
// stored encrypted with the at-rest key (secrets/) and decrypted only for a send.
import {
  ConflictError,
  checkEmailAddress,
  checkEmailSettings,
  type EmailSettingsDto,
  type TestEmailResultDto,
  type UpdateEmailSettingsBody,
} from "@wgfleet/core";
import type { AuditService } from "../audit/audit.service.js";
import { fieldChanges } from "../audit/audit-changes.js";
import { type ActorRef, auditName } from "../auth/actor.js";
import { type Clock, nowIso, systemClock } from "../clock.js";
import type { SecretBox } from "../secrets/index.js";
import type { EmailSettingsRepository, EmailSettingsRow } from "./email-settings.repository.js";
import { testMail } from "./mail-texts.js";
import type { SendMail, SmtpSettings } from "./smtp-mailer.js";

const DEFAULTS: EmailSettingsDto = {
  enabled: false,
  host: "",
  port: 587,
  security: "starttls",
  user: null,
  passwordSet: false,
  from: "",
  updatedAt: null,
};

export class EmailSettingsService {
  constructor(
    private readonly deps: {
      repository: EmailSettingsRepository;
      secrets: Pick<SecretBox, "encrypt" | "decrypt">;
      audit: Pick<AuditService, "recordEvent">;
      send: SendMail;
      clock?: Clock;
    },
  ) {}

  async get(): Promise<EmailSettingsDto> {
    const row = await this.deps.repository.find();
    return row ? toDto(row) : { ...DEFAULTS };
  }

  async update(body: UpdateEmailSettingsBody, actor: ActorRef): Promise<EmailSettingsDto> {
    const input = checkEmailSettings(body);
    const stored = await this.deps.repository.find();
    const before = stored ? toDto(stored) : null;
    const passwordEnc =
      input.password === undefined
        ? (stored?.password_enc ?? null)
        : input.password === null
          ? null
          : this.deps.secrets.encrypt(input.password);
    await this.deps.repository.save({
      enabled: input.enabled ? 1 : 0,
      host: input.host,
      port: input.port,
      security: input.security,
      username: input.user,
      password_enc: passwordEnc,
      from_address: input.from,
      updated_at: nowIso((this.deps.clock ?? systemClock).now()),
    });
    const after = await this.get();
    const fields = ["enabled", "host", "port", "security", "user", "from"];
    await this.deps.audit.recordEvent(auditName(actor), {
      action: "settings.email_update",
      entity: "settings",
      target: "email",
      changes: {
        ...fieldChanges(before, after, fields),
        ...(input.password !== undefined ? { password: { changed: true } } : {}),
      },
    });
    return after;
  }

  /** Sends a test mail with the stored settings (also while mail is turned off: that is how to try). */
  async sendTest(to: string, actor: ActorRef): Promise<TestEmailResultDto> {
    const address = checkEmailAddress(to, "to");
    const settings = await this.smtp({ requireEnabled: false });
    const sent = await this.deps.send(settings, testMail(address));
    await this.deps.audit.recordEvent(auditName(actor), {
      action: "settings.email_test",
      entity: "settings",
      target: "email",
      details: { to: address },
    });
    return { to: address, response: sent.response };
  }

  /**
   * The settings to send with, password decrypted. ConflictError when no server is set or (unless
   * `requireEnabled` is false) mail is turned off.
   */
  async smtp(options: { requireEnabled: boolean }): Promise<SmtpSettings> {
    const row = await this.deps.repository.find();
    if (!row || row.host === "")
      throw new ConflictError("set up e-mail first: no SMTP server is configured", "host");
    if (options.requireEnabled && Number(row.enabled) !== 1)
      throw new ConflictError("e-mail is turned off in the settings", "enabled");
    return {
      host: row.host,
      port: Number(row.port),
      security: row.security,
      user: row.username,
      password: row.password_enc === null ? null : this.deps.secrets.decrypt(row.password_enc),
      from: row.from_address,
    };
  }

  /** Whether mail may be sent now (the warning worker waits while it may not). */
  async enabled(): Promise<boolean> {
    const row = await this.deps.repository.find();
    return row !== undefined && Number(row.enabled) === 1 && row.host !== "";
  }
}

function toDto(row: EmailSettingsRow): EmailSettingsDto {
  return {
    enabled: Number(row.enabled) === 1,
    host: row.host,
    port: Number(row.port),
    security: row.security,
    user: row.username,
    passwordSet: row.password_enc !== null,
    from: row.from_address,
    updatedAt: row.updated_at,
  };
}
