// What a form field holds, turned into what the API takes. Vue's v-model gives a number for an
// <input type="number"> holding one and "" when it is empty (or the browser cannot read it), and
// strings everywhere else; every dialog goes through these, so no form calls string methods on a number.

/** A form field's value as v-model leaves it. */
export type FieldValue = string | number | null | undefined;

/** The field as trimmed text ("" when empty); numbers as they print. */
export function textOf(value: FieldValue): string {
  if (value === null || value === undefined) return "";
  return typeof value === "number" ? (Number.isNaN(value) ? "" : String(value)) : value.trim();
}

/**
 * The field as a number for the API: undefined when empty. Text that is not a number becomes NaN,
 * which the client-side check (validation-messages.ts) refuses before any request.
 */
export function numberOf(value: FieldValue): number | undefined {
  const text = textOf(value);
  return text === "" ? undefined : Number(text);
}

/** The field as a number, or null when empty (fields the API clears with null). */
export function nullableNumberOf(value: FieldValue): number | null {
  return numberOf(value) ?? null;
}

/** A number from the API shown in a field: "" for none. */
export function fieldText(value: number | string | null | undefined): string {
  return value === null || value === undefined ? "" : String(value);
}
