// The alerts as admins see and tune them: the list (firing first, then recent resolved ones), the
// thresholds (validated, audited).
import {
  ALERT_SETTINGS_LIMITS,
  type AlertListDto,
  type AlertListQuery,
  type AlertSettings,
  ValidationError,
} from "@wgfleet/core";
import { fieldChanges } from "../audit/audit-changes.js";
import type { AuditService } from "../audit/index.js";
import { type ActorRef, auditName } from "../auth/actor.js";
import { toAlertDto } from "./alert.mapper.js";
import type { AlertRepository } from "./alert.repository.js";

const DEFAULT_LIMIT = 100;

export class AlertService {
  constructor(
    private readonly deps: {
      alerts: AlertRepository;
      audit: Pick<AuditService, "recordEvent">;
    },
  ) {}

  async list(query: AlertListQuery = {}): Promise<AlertListDto> {
    const rows = await this.deps.alerts.list({
      ...(query.state ? { state: query.state } : {}),
      limit: query.limit ?? DEFAULT_LIMIT,
    });
    return { items: rows.map(toAlertDto), firing: await this.deps.alerts.countFiring() };
  }

  settings(): Promise<AlertSettings> {
    return this.deps.alerts.settings();
  }

  async updateSettings(actor: ActorRef, input: AlertSettings): Promise<AlertSettings> {
    checkSettings(input);
    const before = await this.deps.alerts.settings();
    const after: AlertSettings = {
      poolFullPercent: input.poolFullPercent,
      driftRepairsPerHour: input.driftRepairsPerHour,
      staleHandshakePercent: input.staleHandshakePercent,
    };
    await this.deps.alerts.saveSettings(after);
    await this.deps.audit.recordEvent(auditName(actor), {
      action: "alert.settings_update",
      entity: "alert",
      changes: fieldChanges({ ...before }, { ...after }),
    });
    return after;
  }
}

/** The schema checks shapes; this names the field when a service is called without it (the CLI, tests). */
function checkSettings(input: AlertSettings): void {
  for (const [field, limits] of Object.entries(ALERT_SETTINGS_LIMITS)) {
    const value = input[field as keyof AlertSettings];
    if (!Number.isInteger(value) || value < limits.minimum || value > limits.maximum) {
      throw new ValidationError(field, `must be a whole number from ${limits.minimum} to ${limits.maximum}`);
    }
  }
}
