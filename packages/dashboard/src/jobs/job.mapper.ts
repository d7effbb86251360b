// A job as `GET /api/v1/jobs/:id` shows it: its counts, the errors of failed items, every item.
import type { JobDto } from "@wgfleet/core";
import type { JobItemRow, JobRow } from "./job.repository.js";

export function toJobDto(job: JobRow, items: JobItemRow[]): JobDto {
  const count = (state: JobItemRow["state"]) => items.filter((item) => item.state === state).length;
  return {
    id: job.id,
    kind: job.kind,
    subject: job.subject,
    status: job.status,
    total: Number(job.total),
    done: count("done"),
    failed: count("failed"),
    skipped: count("skipped"),
    errors: items
      .filter((item) => item.state === "failed")
      .map((item) => ({ item: item.item_id, label: item.label, error: item.error ?? "failed" })),
    items: items.map((item) => ({
      id: item.item_id,
      label: item.label,
      target: item.target,
      state: item.state,
      error: item.error,
    })),
    createdBy: job.created_by,
    createdAt: job.created_at,
    updatedAt: job.updated_at,
    finishedAt: job.finished_at,
  };
}
