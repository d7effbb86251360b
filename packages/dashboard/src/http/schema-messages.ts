// The sentence an admin reads when a request body does not fit its schema: Ajv's keyword and limits
// turned into what to type ("Use at least 8 characters."), instead of Ajv's own wording ("must NOT
// have fewer than 8 characters"). The web shows it next to the field the error names, so sentences
// do not repeat the field's name except where they ask for a missing value.
import { patternRule } from "@wgfleet/core";

/** What Ajv reports about one failure (with `verbose`, the schema the keyword sits in). */
export interface SchemaFailure {
  keyword: string;
  params: Record<string, unknown>;
  parentSchema?: Record<string, unknown>;
}

/** How fields are called in sentences ("Enter the new password."); others read "a value". */
const FIELD_LABELS: Readonly<Record<string, string>> = {
  name: "a name",
  username: "a user name",
  password: "a password",
  newPassword: "the new password",
  currentPassword: "your current password",
  agentUrl: "the agent URL",
  secret: "the shared secret",
  endpoint: "an endpoint",
  pool: "an address pool",
  listenPort: "a listen port",
  nodeId: "a node",
  node: "a node",
  publicKey: "the public key",
  presharedKey: "the preshared key",
};

/** "newPassword" → "Enter the new password."; unknown fields → "Enter a value." */
export function missingValueSentence(field: string): string {
  const last = field.split(/[.[]/).pop() ?? field;
  return `Enter ${FIELD_LABELS[last] ?? "a value"}.`;
}

export function schemaSentence(failure: SchemaFailure, field: string): string | undefined {
  const { keyword, params } = failure;
  const schema = failure.parentSchema ?? {};
  switch (keyword) {
    case "required":
      return missingValueSentence(field);
    case "minLength":
      return Number(params.limit) <= 1
        ? missingValueSentence(field)
        : `Use at least ${String(params.limit)} characters.`;
    case "maxLength":
      return `Use at most ${String(params.limit)} characters.`;
    case "minItems":
      return Number(params.limit) <= 1
        ? "Enter at least one entry."
        : `Enter at least ${String(params.limit)} entries.`;
    case "maxItems":
      return `Enter at most ${String(params.limit)} entries.`;
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return rangeSentence(schema);
    case "multipleOf":
      return `Enter a multiple of ${String(params.multipleOf)}.`;
    case "type":
      return typeSentence(String(params.type));
    case "format":
      return formatSentence(String(params.format));
    case "pattern":
      return patternRule(String(params.pattern)) ?? "Use the form this field expects.";
    case "enum":
      return `Choose one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}.`;
    default:
      return undefined;
  }
}

/** "Enter a whole number from 1,280 to 9,000." from the number schema's own limits. */
function rangeSentence(schema: Record<string, unknown>): string {
  const kind = schema.type === "integer" ? "a whole number" : "a number";
  const low = limit(schema.minimum, schema.exclusiveMinimum, "at least", "greater than");
  const high = limit(schema.maximum, schema.exclusiveMaximum, "at most", "less than");
  if (low?.inclusive && high?.inclusive) return `Enter ${kind} from ${low.value} to ${high.value}.`;
  const bounds = [low, high].filter((b) => b !== undefined).map((b) => `${b.words} ${b.value}`);
  return bounds.length > 0 ? `Enter ${kind} ${bounds.join(" and ")}.` : `Enter ${kind}.`;
}

function limit(
  inclusive: unknown,
  exclusive: unknown,
  inclusiveWords: string,
  exclusiveWords: string,
): { value: string; words: string; inclusive: boolean } | undefined {
  if (typeof inclusive === "number")
    return { value: inclusive.toLocaleString("en-US"), words: inclusiveWords, inclusive: true };
  if (typeof exclusive === "number")
    return { value: exclusive.toLocaleString("en-US"), words: exclusiveWords, inclusive: false };
  return undefined;
}

const TYPE_SENTENCES: Readonly<Record<string, string>> = {
  integer: "Enter a whole number.",
  number: "Enter a number.",
  string: "Enter text.",
  boolean: "Choose yes or no (true or false).",
  array: "Enter a list.",
  object: "Send an object with the fields this request takes.",
  null: "Leave this empty.",
};

function typeSentence(type: string): string {
  // Ajv says "integer,null" for a nullable number: the first type is the one people mean.
  const first = type.split(",")[0] ?? type;
  return TYPE_SENTENCES[first] ?? `Enter a value of type ${type}.`;
}

const FORMAT_SENTENCES: Readonly<Record<string, string>> = {
  "date-time": "Enter a date and time, for example 2026-12-31T23:59:59Z.",
  date: "Enter a date, for example 2026-12-31.",
  uri: "Enter a full URL, for example https://vpn.example.com.",
  email: "Enter an email address.",
  uuid: "Enter an id as the API gives it.",
};

function formatSentence(format: string): string {
  return FORMAT_SENTENCES[format] ?? `Enter a value in ${format} format.`;
}
