// WGDashboard's peer schedule jobs → wgfleet's lifecycle rules. A data job (total_data, total_receive
// or total_sent ≥ N GB) becomes the peer's traffic quota (one budget for its life, `period: none`); a
// date job (date ≥ T) becomes its expiry. Only the `lgt` operator (WGDashboard's "larger than") has a
// rule to become; other operators and actions are refused, not approximated.
import type { PeerQuota, QuotaCounting, UpdatePeerBody } from "@wgfleet/core";
import { WgdRefusal } from "./envelope.js";
import { requiredString } from "./wgd-text.js";

const GB = 1024 ** 3;
const COUNTING_BY_FIELD: Record<string, QuotaCounting> = {
  total_data: "total",
  total_receive: "rx",
  total_sent: "tx",
};

export interface WgdJobInput {
  jobId: string;
  configuration: string;
  peer: string;
  field: string;
}

/** The job's identity (Configuration, Peer, Field, JobID), as both save and delete need it. */
export function jobOf(body: Record<string, unknown>): { job: Record<string, unknown>; input: WgdJobInput } {
  const job = body.Job;
  if (job === null || typeof job !== "object" || Array.isArray(job))
    throw new WgdRefusal("Please specify job");
  const fields = job as Record<string, unknown>;
  if (fields.Peer === undefined || fields.Configuration === undefined) {
    throw new WgdRefusal("Please specify peer and configuration");
  }
  const field = requiredString(fields, "Field");
  if (field !== "date" && !(field in COUNTING_BY_FIELD)) {
    throw new WgdRefusal(
      `Field: expected total_data, total_receive, total_sent or date, got "${field.slice(0, 40)}"`,
    );
  }
  return {
    job: fields,
    input: {
      jobId: requiredString(fields, "JobID").slice(0, 100),
      configuration: requiredString(fields, "Configuration"),
      peer: requiredString(fields, "Peer"),
      field,
    },
  };
}

/** The peer change a saved job makes. */
export function ruleOfJob(job: Record<string, unknown>, field: string): UpdatePeerBody {
  const operator = requiredString(job, "Operator");
  if (operator !== "lgt") throw new WgdRefusal(`Operator: only "lgt" (larger than) has a wgfleet rule`);
  const action = requiredString(job, "Action");
  const value = requiredString(job, "Value");
  if (field === "date") {
    if (action !== "restrict")
      throw new WgdRefusal(`Action: a date job can only "restrict" (expire) the peer`);
    return { expiresAt: wgdDateToIso(value) };
  }
  if (action !== "restrict" && action !== "delete") {
    throw new WgdRefusal(`Action: a data job can "restrict" or "delete" the peer`);
  }
  if (!/^\d{1,9}(\.\d{1,9})?$/.test(value) || Number(value) <= 0) {
    throw new WgdRefusal("Value: expected a positive number of GB");
  }
  const quota: PeerQuota = {
    bytes: Math.max(1, Math.round(Number(value) * GB)),
    period: "none",
    counting: COUNTING_BY_FIELD[field] ?? "total",
    action: action === "delete" ? "delete" : "disable",
  };
  return { quota };
}

/** The peer change a deleted job makes: its rule removed. */
export function ruleRemoval(field: string): UpdatePeerBody {
  return field === "date" ? { expiresAt: null } : { quota: null };
}

/** "2027-01-31 23:59:59" (taken as UTC) → ISO-8601. */
export function wgdDateToIso(text: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})$/.exec(text);
  const iso = match ? `${match[1]}T${match[2]}Z` : "";
  if (!match || Number.isNaN(Date.parse(iso))) {
    throw new WgdRefusal(`Value: expected a date as YYYY-MM-DD HH:MM:SS, got "${text.slice(0, 40)}"`);
  }
  return iso;
}
