// The quota job: what the dashboard does about traffic quotas, each stats interval. The node cuts a peer
// off on its own once its budget is used up (so a dashboard outage costs at most one interval of
// traffic); this job does the rest from the counted usage: a new period gives a fresh budget (a peer
// suspended for its quota comes back), the warning event once per period, and the quota's action once
// per period — `suspend` makes sure the node has a spent budget (its `suspended` and `restored` events
// come from what the node reports, suspension-sync.ts), `disable` and `delete` go through the peer
// service like an admin's click. A node that cannot be reached leaves the quota as it was: the next run
// tries again.
import type { PeerQuotaDto, TrafficBudget } from "@wgfleet/core";
import { nowIso } from "../clock.js";
import type { DomainEventPublisher } from "../events/index.js";
import type { Logger } from "../logging/logger.js";
import type { LifecycleEventsRepository, NewLifecycleEvent } from "./lifecycle-events.repository.js";
import { freshBudget, NO_USAGE, quotaFieldsOf, quotaPeriodOf, usedBytes } from "./quota.js";
import type { DueQuota, QuotaRepository } from "./quota.repository.js";

/** Who `disable` and `delete` are recorded as in the audit log. */
export const QUOTA_ACTOR = "system:quota";

/** What the job needs of the peer service. */
export interface QuotaPeerActions {
  setBudget(peerId: string, budget: TrafficBudget): Promise<void>;
  disable(peerId: string, actor: string): Promise<unknown>;
  delete(peerId: string, actor: string): Promise<void>;
}

export interface QuotaJobDeps {
  quotas: Pick<QuotaRepository, "due" | "startPeriod" | "markWarned" | "markExhausted">;
  events: Pick<LifecycleEventsRepository, "record">;
  peers: QuotaPeerActions;
  logger: Logger;
  /** `peer.quota_warning` goes out here. */
  domainEvents?: DomainEventPublisher;
  now?: () => number;
}

export interface QuotaJobReport {
  periodsStarted: number;
  warnings: number;
  actions: number;
  failures: number;
}

export class QuotaJob {
  constructor(private readonly deps: QuotaJobDeps) {}

  /** One pass over the quotas that need something now. Never throws for one peer's failure. */
  async runOnce(): Promise<QuotaJobReport> {
    const now = this.deps.now?.() ?? Date.now();
    const report: QuotaJobReport = { periodsStarted: 0, warnings: 0, actions: 0, failures: 0 };
    for (const due of await this.deps.quotas.due(nowIso(now))) {
      try {
        await this.handle(due, now, report);
      } catch (error) {
        report.failures++;
        this.deps.logger.warn(
          { peer: due.peerId, err: { message: (error as Error).message } },
          "a traffic quota could not be applied; retried next run",
        );
      }
    }
    return report;
  }

  private async handle(due: DueQuota, now: number, report: QuotaJobReport): Promise<void> {
    const { quota, quotaUsage } = quotaFieldsOf(due);
    if (!quota || !quotaUsage) return;
    if (quotaUsage.periodEnd !== null && Date.parse(quotaUsage.periodEnd) <= now) {
      await this.startPeriod(due, quota, now);
      report.periodsStarted++;
      return;
    }
    const used = usedBytes(quota.counting, {
      usedRx: Number(due.quotaUsedRx),
      usedTx: Number(due.quotaUsedTx),
    });
    const at = nowIso(now);
    if (
      Number(due.quotaWarned) === 0 &&
      quota.warnAtPercent !== null &&
      used * 100 >= quota.bytes * quota.warnAtPercent
    ) {
      await this.deps.quotas.markWarned(due.peerId);
      const detail = `${quotaUsage.percent} % of its ${describeQuota(quota)} used`;
      await this.deps.events.record([event(due, at, "quota_warning", detail)]);
      await this.deps.domainEvents?.publish({
        type: "peer.quota_warning",
        data: {
          peerId: due.peerId,
          name: due.peerName,
          configuration: due.configurationName,
          nodeId: due.nodeId,
          interface: due.interfaceName,
          detail,
        },
      });
      report.warnings++;
    }
    if (Number(due.quotaExhausted) === 0 && (used >= quota.bytes || cutOffThisPeriod(due, quotaUsage))) {
      await this.act(due, quota, at);
      report.actions++;
    }
  }

  /** The next period: a fresh budget on the node first (a failure changes nothing), then the counters. */
  private async startPeriod(due: DueQuota, quota: PeerQuotaDto, now: number): Promise<void> {
    await this.deps.peers.setBudget(due.peerId, freshBudget(quota, NO_USAGE));
    const period = quotaPeriodOf(quota, now, due.timeZone);
    await this.deps.quotas.startPeriod(due.peerId, period);
    const detail = `a new ${quota.period} period: ${describeBytes(quota.bytes)} to use until ${period.end}`;
    await this.deps.events.record([event(due, nowIso(now), "period_reset", detail)]);
  }

  private async act(due: DueQuota, quota: PeerQuotaDto, at: string): Promise<void> {
    const spent = `its ${describeQuota(quota)} is used up`;
    if (quota.action === "suspend") {
      // The node counts too and has most likely cut it off already; a spent budget makes sure.
      await this.deps.peers.setBudget(due.peerId, { ...freshBudget(quota, NO_USAGE), bytesLeft: 0 });
      await this.deps.quotas.markExhausted(due.peerId);
      return;
    }
    if (quota.action === "disable") {
      await this.deps.peers.disable(due.peerId, QUOTA_ACTOR);
      await this.deps.quotas.markExhausted(due.peerId);
      await this.deps.events.record([event(due, at, "disabled", `${spent}: disabled`)]);
      return;
    }
    // Recorded first: the event names a peer that is gone afterwards (and outlives it).
    await this.deps.events.record([event(due, at, "deleted", `${spent}: deleted`)]);
    await this.deps.peers.delete(due.peerId, QUOTA_ACTOR);
  }
}

/**
 * Whether the node reports the peer cut off for its quota since this period started. The node counts
 * every second and cuts the peer off at once; the bytes it moved after the dashboard's last round are
 * gone from the kernel's counters with it, so the counted usage may stay just under the budget. The
 * quota's action must run all the same (a suspension from an earlier period does not count: the fresh
 * budget lifts it on the node's next report).
 */
function cutOffThisPeriod(due: DueQuota, usage: { periodStart: string }): boolean {
  return (
    due.suspensionReason === "quota" && due.suspendedSince !== null && due.suspendedSince >= usage.periodStart
  );
}

function event(
  due: DueQuota,
  at: string,
  kind: NewLifecycleEvent["kind"],
  detail: string,
): NewLifecycleEvent {
  return {
    peerId: due.peerId,
    peerName: due.peerName,
    configurationName: due.configurationName,
    at,
    kind,
    rule: "quota",
    detail,
  };
}

/** "1.5 GiB per month" / "500 MiB in total". */
function describeQuota(quota: PeerQuotaDto): string {
  const per = { none: "in total", daily: "per day", weekly: "per week", monthly: "per month" }[quota.period];
  return `${describeBytes(quota.bytes)} ${per}${quota.counting === "total" ? "" : ` (${quota.counting})`}`;
}

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

/** Bytes in binary units with one decimal ("1.0 MiB"), as the web app shows them. */
export function describeBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}
