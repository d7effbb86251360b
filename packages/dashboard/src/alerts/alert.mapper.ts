// Alert rows as the API and the webhook events show them: the listed fields only.
import type { AlertDto, AlertEventData } from "@wgfleet/core";
import type { AlertRow } from "./alert.repository.js";

function detailsOf(row: AlertRow): { summary: string; details: Record<string, unknown> } {
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(row.details) as Record<string, unknown>;
  } catch {
    // A row that no longer parses still lists, with no details.
  }
  const { summary, ...details } = parsed;
  return { summary: typeof summary === "string" ? summary : row.kind, details };
}

export function toAlertDto(row: AlertRow): AlertDto {
  const { summary, details } = detailsOf(row);
  return {
    id: row.id,
    kind: row.kind,
    subject: row.subject,
    summary,
    state: row.state,
    firedAt: row.fired_at,
    resolvedAt: row.resolved_at,
    details,
  };
}

export function alertEventData(row: AlertRow): AlertEventData {
  const { summary, details } = detailsOf(row);
  return {
    alertId: row.id,
    kind: row.kind,
    subject: row.subject,
    summary,
    firedAt: row.fired_at,
    resolvedAt: row.resolved_at,
    details,
  };
}
