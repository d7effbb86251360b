// The one delivery worker: takes due `pending` deliveries from the database (so a restart loses none),
// sends at most `concurrency` at a time, each with a timeout, and records the outcome: delivered on a
// 2xx answer, else tried again on the schedule of delivery-schedule.ts until 24 h after the event. The
// target address is checked at every attempt (webhook-target.ts). Time comes from the injected clock,
// so tests move it instead of sleeping through the backoff.
import { WEBHOOK_TEST_EVENT } from "@wgfleet/core";
import { type Clock, nowIso, systemClock } from "../clock.js";
import type { Logger } from "../logging/logger.js";
import type { SecretBox } from "../secrets/index.js";
import type { BackgroundJob } from "../startup/background-job.js";
import { nextAttemptAt } from "./delivery-schedule.js";
import type { DeliveryRow, WebhookRepository, WebhookRow } from "./webhook.repository.js";
import { type SendWebhook, sendWebhook } from "./webhook-sender.js";
import { SIGNATURE_HEADER, signatureHeader } from "./webhook-signature.js";
import { type ResolveHost, resolveTarget } from "./webhook-target.js";

export interface DeliverySettings {
  /** Deliveries sent at the same time. */
  concurrency: number;
  /** The whole exchange with a receiver, per attempt. */
  timeoutMs: number;
  /** How often the queue is looked at (a new delivery also wakes the worker). */
  pollMs: number;
  /** Deliveries taken per round. */
  batch: number;
}

export const DEFAULT_DELIVERY_SETTINGS: DeliverySettings = {
  concurrency: 4,
  timeoutMs: 10_000,
  pollMs: 5_000,
  batch: 50,
};

/** Longest error text kept in the log. */
const MAX_ERROR_LENGTH = 500;

export interface DeliveryWorkerDeps {
  repository: Pick<WebhookRepository, "due" | "claim" | "recordAttempt" | "findById" | "findDelivery">;
  secrets: Pick<SecretBox, "decrypt">;
  logger: Pick<Logger, "warn" | "debug">;
  clock?: Clock;
  settings?: Partial<DeliverySettings>;
  send?: SendWebhook;
  resolve?: ResolveHost;
  userAgent?: string;
}

export class DeliveryWorker {
  private readonly clock: Clock;
  private readonly settings: DeliverySettings;
  private running: Promise<number> | null = null;
  private again = false;
  private stopped = true;

  constructor(private readonly deps: DeliveryWorkerDeps) {
    this.clock = deps.clock ?? systemClock;
    this.settings = { ...DEFAULT_DELIVERY_SETTINGS, ...deps.settings };
  }

  /** One round: every due delivery (at most `batch`) tried once. Returns how many were tried. */
  async runOnce(): Promise<number> {
    const now = this.clock.now();
    const due = await this.deps.repository.due(nowIso(now), this.settings.batch);
    const lease = nowIso(now + this.settings.timeoutMs + 30_000);
    const claimed: DeliveryRow[] = [];
    for (const row of due) if (await this.deps.repository.claim(row, lease)) claimed.push(row);
    let next = 0;
    const lane = async () => {
      while (next < claimed.length) {
        const row = claimed[next++] as DeliveryRow;
        await this.attempt(row);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.settings.concurrency, claimed.length) }, lane));
    return claimed.length;
  }

  /** One attempt of a delivery this worker holds (claimed, or just created by "send test"). */
  async attempt(row: DeliveryRow): Promise<void> {
    const webhook = await this.deps.repository.findById(row.webhook_id);
    const attempts = Number(row.attempts) + 1;
    if (!webhook) return;
    const started = this.clock.now();
    const outcome =
      Number(webhook.enabled) === 1 || row.event_type === WEBHOOK_TEST_EVENT
        ? await this.send(webhook, row, started)
        : { status: null, error: "the webhook is disabled" };
    const now = this.clock.now();
    const delivered = outcome.error === null;
    const retryAt =
      delivered || Number(webhook.enabled) === 0
        ? null
        : nextAttemptAt(attempts, Date.parse(row.created_at), now);
    await this.deps.repository.recordAttempt(row.id, {
      status: delivered ? "delivered" : retryAt === null ? "failed" : "pending",
      attempts,
      next_attempt_at: retryAt === null ? null : nowIso(retryAt),
      last_attempt_at: nowIso(started),
      response_code: outcome.status,
      last_error: outcome.error?.slice(0, MAX_ERROR_LENGTH) ?? null,
      delivered_at: delivered ? nowIso(now) : null,
    });
    if (!delivered)
      this.deps.logger.debug(
        { webhook: webhook.id, delivery: row.id, event: row.event_type, attempts, error: outcome.error },
        retryAt === null ? "webhook delivery failed for good" : "webhook delivery failed; retried later",
      );
  }

  private async send(webhook: WebhookRow, row: DeliveryRow, at: number) {
    let secret: string;
    try {
      secret = this.deps.secrets.decrypt(webhook.secret_enc);
    } catch {
      return {
        status: null,
        error: "the webhook's secret cannot be decrypted (was the at-rest key changed?)",
      };
    }
    const url = new URL(webhook.url);
    try {
      const target = await resolveTarget(url, Number(webhook.allow_private) === 1, this.deps.resolve);
      return await (this.deps.send ?? sendWebhook)({
        url,
        target,
        body: row.payload,
        timeoutMs: this.settings.timeoutMs,
        headers: {
          "content-type": "application/json",
          "user-agent": this.deps.userAgent ?? "wgfleet-webhook",
          "x-wgfleet-event": row.event_type,
          "x-wgfleet-delivery": row.id,
          [SIGNATURE_HEADER]: signatureHeader(secret, Math.floor(at / 1000), row.payload),
        },
      });
    } catch (error) {
      return { status: null, error: (error as Error).message };
    }
  }

  /** Asks for a round soon (a delivery was queued); rounds never overlap. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.runOnce()
      .catch((error: Error) => {
        this.deps.logger.warn(
          { job: "webhook-deliveries", err: { message: error.message } },
          "background job failed",
        );
        return 0;
      })
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Polls the queue every `pollMs` until stopped (waits for the round in flight). */
  start(): BackgroundJob {
    this.stopped = false;
    const timer = setInterval(() => this.wake(), this.settings.pollMs);
    timer.unref();
    this.wake();
    return {
      name: "webhook-deliveries",
      stop: async () => {
        this.stopped = true;
        clearInterval(timer);
        await this.running;
      },
    };
  }
}
