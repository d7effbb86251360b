// The security boundary for text that reaches a config file: no value may add a line, a key or a
// section. Every string written by render.ts passes one of these (or a stricter validator) first.
import { ValidationError } from "../errors.js";

/** Limits, in UTF-16 code units. */
export const LIMITS = {
  name: 256,
  value: 1024,
  hook: 1024,
  extraKey: 64,
  cidr: 64,
  dnsEntry: 253,
  endpoint: 261,
  /** A whole file, parsed or rendered: room for tens of thousands of peers. */
  file: 8 * 1024 * 1024,
} as const;

const LINE_BREAK = /[\n\r\u0085\u2028\u2029]/;
// C0 and C1 controls, DEL, and the invisible format characters that can disguise text
// (bidi embeddings/overrides/isolates, LRM/RLM, BOM).
/** The same set as a regular-expression character class body, for JSON Schema patterns too. */
export const CONTROL_CHARACTER_CLASS =
  "\\u0000-\\u001f\\u007f-\\u009f\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069\\ufeff";
const CONTROL = new RegExp(`[${CONTROL_CHARACTER_CLASS}]`, "u");

/** True when the text holds a control or invisible formatting character (newline, NUL, bidi override...). */
export function hasControlCharacters(text: string): boolean {
  return CONTROL.test(text);
}
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const SECTION_HEADER = /\[\s*(?:interface|peer)\s*\]/i;

/** How a rejected value is quoted in a message: escaped, cut short. Never use it for keys. */
export function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/**
 * The rules every config text shares: a string, at most `maxLength` long, no line break, no NUL or
 * other control character, well-formed UTF-16, no "[Interface]"/"[Peer]". Returns it trimmed.
 */
export function checkConfigText(field: string, value: unknown, maxLength: number): string {
  if (typeof value !== "string") throw new ValidationError(field, "must be a string");
  if (value.length > maxLength) {
    throw new ValidationError(field, `is too long: ${value.length} characters, at most ${maxLength}`);
  }
  if (LONE_SURROGATE.test(value)) {
    throw new ValidationError(field, "is not valid Unicode: it contains an unpaired UTF-16 surrogate");
  }
  if (LINE_BREAK.test(value)) throw new ValidationError(field, "must not contain a line break");
  if (value.includes("\u0000")) throw new ValidationError(field, "must not contain a NUL character");
  const control = CONTROL.exec(value);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
    throw new ValidationError(field, `must not contain control or format characters (found U+${code})`);
  }
  if (SECTION_HEADER.test(value)) {
    throw new ValidationError(field, 'must not contain a section header such as "[Peer]"');
  }
  return value.trim();
}

/**
 * A value written after "Key = " in a wg-quick file (hook lines, unknown keys' values). On top of
 * checkConfigText: no "#" (wg-quick would cut the value there) and no leading "[" (a section).
 */
export function validateConfigValue(field: string, value: string, maxLength: number = LIMITS.value): string {
  const text = checkConfigText(field, value, maxLength);
  if (text.includes("#")) {
    throw new ValidationError(
      field,
      'must not contain "#": wg-quick reads the rest of the line as a comment',
    );
  }
  if (text.startsWith("[")) throw new ValidationError(field, 'must not start with "[" (a section header)');
  return text;
}

/**
 * A peer's display name, written only as a "# Name = ..." comment. "#", "=" and brackets are harmless
 * inside a comment, so only the shared rules apply; it must not be blank.
 */
export function validatePeerName(name: string, field = "name"): string {
  const text = checkConfigText(field, name, LIMITS.name);
  if (text === "") throw new ValidationError(field, "must not be empty");
  return text;
}
