// Field schemas the API's request bodies share (client settings, plain text, interface names), and
// the readable sentence for each pattern, so a 400 says what is wrong instead of quoting a regex.
import { type TSchema, Type } from "@sinclair/typebox";
import { CONTROL_CHARACTER_CLASS } from "../config/text-rules.js";
import { INTERFACE_NAME_PATTERN, InterfaceNameSchema, WireGuardKeySchema } from "../protocol/v1.js";
import { USERNAME_PATTERN } from "./user.js";

export { InterfaceNameSchema };

/** One line of text without control or invisible formatting characters (line breaks included). */
export const PLAIN_TEXT_PATTERN = `^[^${CONTROL_CHARACTER_CLASS}]*$`;

export const PlainText = (maxLength: number, description?: string) =>
  Type.String({ maxLength, pattern: PLAIN_TEXT_PATTERN, ...(description ? { description } : {}) });

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const MIN_MTU = 1280;
export const MAX_MTU = 9000;
export const MAX_KEEPALIVE = 65535;

/** DNS servers or search domains handed to clients; each entry is checked for meaning by the service. */
export const DnsListSchema = Type.Array(Type.String({ maxLength: 256 }), { maxItems: 16 });
/** CIDRs handed to clients as their AllowedIPs; at least one. */
export const ClientAllowedIpsSchema = Type.Array(Type.String({ maxLength: 256 }), {
  minItems: 1,
  maxItems: 64,
});
export const MtuSchema = Nullable(Type.Integer({ minimum: MIN_MTU, maximum: MAX_MTU }));
export const KeepaliveSchema = Nullable(
  Type.Integer({ minimum: 0, maximum: MAX_KEEPALIVE, description: "seconds; 0 or null: off" }),
);

/** A name or id of something the server looks up (a node, a user); never parsed further. */
export const IdText = (description?: string) =>
  Type.String({ minLength: 1, maxLength: 100, ...(description ? { description } : {}) });

// Sentences an admin reads next to the field (the API puts "field: " before them), so they say what
// to type rather than what the pattern is.
const PATTERN_RULES: ReadonlyMap<string, string> = new Map<string, string>([
  [PLAIN_TEXT_PATTERN, "Use a single line without control characters."],
  [
    INTERFACE_NAME_PATTERN,
    "Use 1 to 15 letters, digits or _ = + . - starting with a letter or digit, for example wg0.",
  ],
  [USERNAME_PATTERN, "Use letters, digits or . _ @ - starting with a letter or digit."],
  [
    WireGuardKeySchema.pattern as string,
    "Paste a WireGuard key: 44 characters of base64 ending in =, as wg prints it.",
  ],
]);

/** The sentence for a schema pattern that failed, or undefined when none was registered. */
export function patternRule(pattern: string): string | undefined {
  return PATTERN_RULES.get(pattern);
}
