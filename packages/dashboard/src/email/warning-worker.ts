// The warning worker: each round it queues the warnings that are due (expiry within 7 days, within
// 1 day; 80 % of a traffic quota used) for peers with a contact address, then sends the queued mails
// that are due. A warning's key names its peer, kind and the period it is for (the expiry time, the
// quota period's start), and the outbox keeps keys unique: each warning is queued once however often
// the scan runs, and a renewed expiry or a new quota period warns again. Mails wait in the database, so
// a restart loses none; a failed send is retried on the schedule of retry-schedule.ts. While mail is
// turned off nothing is queued or sent.
import { type Clock, nowIso, systemClock } from "../clock.js";
import type { Logger } from "../logging/logger.js";
import type { BackgroundJob } from "../startup/background-job.js";
import { startIntervalJob } from "../startup/background-job.js";
import type { EmailOutboxRepository, OutboxRow } from "./email-outbox.repository.js";
import type { EmailSettingsService } from "./email-settings.service.js";
import { type WarningKind, warningMail } from "./mail-texts.js";
import { nextEmailAttemptAt } from "./retry-schedule.js";
import type { SendMail } from "./smtp-mailer.js";

const DAY_MS = 24 * 3_600_000;
/** The share of a quota that brings its warning. */
export const QUOTA_WARNING_PERCENT = 80;
/** How often the worker looks (expiry warnings are at most this late). */
export const EMAIL_WARNING_INTERVAL_MS = 60_000;
const BATCH = 50;
const MAX_ERROR_LENGTH = 500;

export interface WarningRoundReport {
  queued: number;
  sent: number;
  failed: number;
}

export class EmailWarningWorker {
  private readonly clock: Clock;

  constructor(
    private readonly deps: {
      outbox: EmailOutboxRepository;
      settings: Pick<EmailSettingsService, "smtp" | "enabled">;
      send: SendMail;
      logger: Pick<Logger, "warn" | "debug">;
      clock?: Clock;
    },
  ) {
    this.clock = deps.clock ?? systemClock;
  }

  /** One round: queue what is due, then send what is queued and due. */
  async runOnce(): Promise<WarningRoundReport> {
    const report: WarningRoundReport = { queued: 0, sent: 0, failed: 0 };
    if (!(await this.deps.settings.enabled())) return report;
    report.queued = await this.queueDue();
    const smtp = await this.deps.settings.smtp({ requireEnabled: true });
    for (const row of await this.deps.outbox.due(nowIso(this.clock.now()), BATCH)) {
      if (await this.attempt(row, smtp)) report.sent++;
      else report.failed++;
    }
    return report;
  }

  private async queueDue(): Promise<number> {
    const now = this.clock.now();
    const at = nowIso(now);
    let queued = 0;
    const queue = async (
      kind: WarningKind,
      peer: { id: string; name: string; contactEmail: string },
      period: string,
      expiresAt?: string,
    ) => {
      const mail = warningMail(kind, peer.contactEmail, { name: peer.name, expiresAt: expiresAt ?? null });
      const added = await this.deps.outbox.enqueue(
        {
          dedupe_key: `${peer.id}:${kind}:${period}`,
          peer_id: peer.id,
          kind,
          recipient: peer.contactEmail,
          subject: mail.subject,
          body: mail.text,
        },
        at,
      );
      if (added) queued++;
    };
    // The most urgent warning only: a peer made to expire in 12 hours is not told "within 7 days".
    for (const peer of await this.deps.outbox.expiring(at, nowIso(now + 7 * DAY_MS))) {
      const kind = Date.parse(peer.expiresAt) - now <= DAY_MS ? "expiry_1d" : "expiry_7d";
      await queue(kind, peer, peer.expiresAt, peer.expiresAt);
    }
    for (const peer of await this.deps.outbox.overQuota(QUOTA_WARNING_PERCENT)) {
      await queue("quota_80", peer, peer.periodStart);
    }
    return queued;
  }

  private async attempt(
    row: OutboxRow,
    smtp: Awaited<ReturnType<EmailSettingsService["smtp"]>>,
  ): Promise<boolean> {
    const attempts = Number(row.attempts) + 1;
    try {
      await this.deps.send(smtp, { to: row.recipient, subject: row.subject, text: row.body });
      await this.deps.outbox.record(row.id, {
        status: "sent",
        attempts,
        next_attempt_at: null,
        last_error: null,
        sent_at: nowIso(this.clock.now()),
      });
      return true;
    } catch (error) {
      const now = this.clock.now();
      const retryAt = nextEmailAttemptAt(attempts, Date.parse(row.created_at), now);
      const message = (error as Error).message.slice(0, MAX_ERROR_LENGTH);
      await this.deps.outbox.record(row.id, {
        status: retryAt === null ? "failed" : "pending",
        attempts,
        next_attempt_at: retryAt === null ? null : nowIso(retryAt),
        last_error: message,
        sent_at: null,
      });
      this.deps.logger.debug(
        { mail: row.id, kind: row.kind, attempts, error: message },
        retryAt === null ? "warning mail failed for good" : "warning mail failed; retried later",
      );
      return false;
    }
  }

  start(logger: Logger, intervalMs = EMAIL_WARNING_INTERVAL_MS): BackgroundJob {
    return startIntervalJob("email-warnings", intervalMs, () => this.runOnce(), logger);
  }
}
