// The columns of a configuration's peer CSV and the check of one imported row: every field checked on
// its own, so a row with two mistakes names both, each with the row's line. A row's fields go through
// the same checks as a peer created over the API (checkCreatePeer): a newline in a quoted name is
// refused by the name rule like any other control character.
import { WgFleetError } from "../errors.js";
import type { CsvRowError } from "./bulk.js";
import type { CreatePeerBody } from "./peer.js";
import { type CheckedCreatePeer, checkCreatePeer } from "./peer-checks.js";

/** What the export writes, in this order (never a private or preshared key). */
export const PEER_CSV_EXPORT_COLUMNS = [
  "name",
  "addresses",
  "publicKey",
  "expiresAt",
  "quotaBytes",
  "enabled",
  "node",
] as const;

/** What an import reads; only `name` is required. */
export const PEER_CSV_IMPORT_COLUMNS = [
  "name",
  "addresses",
  "publicKey",
  "presharedKey",
  "expiresAt",
  "quotaBytes",
  "node",
] as const;

/** Columns the export writes that an import accepts and ignores, so an exported file imports as is. */
const IGNORED_COLUMNS = new Set(["enabled"]);

const KNOWN_COLUMNS = new Set<string>([...PEER_CSV_IMPORT_COLUMNS, ...IGNORED_COLUMNS]);

/** Header problems (line 1): an unknown or repeated column, or no `name`. */
export function checkPeerCsvHeader(columns: readonly string[]): CsvRowError[] {
  const errors: CsvRowError[] = [];
  const seen = new Set<string>();
  for (const column of columns) {
    if (!KNOWN_COLUMNS.has(column))
      errors.push({
        line: 1,
        field: column,
        message: `unknown column; use ${PEER_CSV_IMPORT_COLUMNS.join(", ")}`,
      });
    else if (seen.has(column)) errors.push({ line: 1, field: column, message: "column given twice" });
    seen.add(column);
  }
  if (!seen.has("name")) errors.push({ line: 1, field: "name", message: "the name column is required" });
  return errors;
}

export type PeerCsvRowCheck = { ok: true; peer: CheckedCreatePeer } | { ok: false; errors: CsvRowError[] };

/**
 * One data row (values by column; empty cells are "not given") as a peer to create, or every field's
 * error with `line`. Addresses are separated by spaces, commas or semicolons; a row without a key gets
 * a key pair made for it, a row without a preshared key gets none.
 */
export function checkPeerCsvRow(
  row: Readonly<Record<string, string | undefined>>,
  line: number,
): PeerCsvRowCheck {
  const errors: CsvRowError[] = [];
  // The export leads a name a spreadsheet would take for a formula with an apostrophe.
  const name = row.name ?? "";
  const body: CreatePeerBody = { name: /^'[=+\-@]/.test(name) ? name.slice(1) : name, presharedKey: false };
  const value = (column: string) => {
    const text = row[column];
    return text === undefined || text.trim() === "" ? undefined : text.trim();
  };
  const fail = (field: string, message: string) => errors.push({ line, field, message });
  const addresses = value("addresses");
  if (addresses !== undefined) body.addresses = addresses.split(/[\s,;]+/).filter((a) => a !== "");
  const publicKey = value("publicKey");
  if (publicKey !== undefined) body.publicKey = publicKey;
  const presharedKey = value("presharedKey");
  if (presharedKey !== undefined) body.presharedKey = presharedKey;
  const expiresAt = value("expiresAt");
  if (expiresAt !== undefined) body.expiresAt = expiresAt;
  const node = value("node");
  if (node !== undefined) {
    if (node.length > 100) fail("node", "must be a node id of at most 100 characters");
    else body.node = node;
  }
  const quotaBytes = value("quotaBytes");
  if (quotaBytes !== undefined) {
    const bytes = Number(quotaBytes);
    if (!/^[0-9]+$/.test(quotaBytes) || !Number.isSafeInteger(bytes) || bytes < 1)
      fail("quotaBytes", "must be a whole number of bytes, at least 1");
    else body.quota = { bytes, period: "none" };
  }
  // Each field alone, so every mistake of the row is named (checkCreatePeer stops at the first).
  for (const field of ["name", "addresses", "publicKey", "presharedKey", "expiresAt"] as const) {
    if (field !== "name" && body[field] === undefined) continue;
    const single: CreatePeerBody = { name: field === "name" ? body.name : "x", [field]: body[field] };
    try {
      checkCreatePeer(single);
    } catch (error) {
      if (!(error instanceof WgFleetError)) throw error;
      fail(field, stripField(error.message, error.field ?? field));
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, peer: checkCreatePeer(body) };
}

/** "name: must not be empty" → "must not be empty": the field is its own column of the error. */
function stripField(message: string, field: string): string {
  return message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message;
}
