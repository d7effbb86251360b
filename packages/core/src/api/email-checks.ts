// Meaning checks of the e-mail requests: one-line addresses a mail header can carry safely (a line
// break would let a value add headers of its own), host names, and the settings as a whole.
import { hasControlCharacters } from "../config/text-rules.js";
import { ValidationError } from "../errors.js";
import type { EmailSecurity, UpdateEmailSettingsBody } from "./email.js";

// local@domain: the dot-atom local part of RFC 5322 and a host name of letters, digits and hyphens.
const ADDRESS =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
const HOST_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
const IPV6 = /^\[?[0-9A-Fa-f:.]+\]?$/;

function oneLine(text: string, field: string): string {
  if (hasControlCharacters(text))
    throw new ValidationError(field, "must be one line without control characters");
  return text.trim();
}

/** One e-mail address, trimmed; refuses line breaks, display names and lists. */
export function checkEmailAddress(text: string, field: string): string {
  const address = oneLine(text, field);
  if (address === "") throw new ValidationError(field, "must not be empty");
  if (address.length > 254 || !ADDRESS.test(address) || address.includes(".."))
    throw new ValidationError(
      field,
      `${JSON.stringify(address)} is not an e-mail address (name@example.org)`,
    );
  return address;
}

/** An optional address: empty or null means none. */
export function checkOptionalEmailAddress(text: string | null, field: string): string | null {
  if (text === null || text.trim() === "") return null;
  return checkEmailAddress(text, field);
}

export interface CheckedEmailSettings {
  enabled: boolean;
  host: string;
  port: number;
  security: EmailSecurity;
  user: string | null;
  /** undefined: keep the stored one. */
  password?: string | null;
  from: string;
}

export function checkEmailSettings(body: UpdateEmailSettingsBody): CheckedEmailSettings {
  const host = oneLine(body.host, "host");
  if (body.enabled && host === "") throw new ValidationError("host", "is needed to send mail");
  if (host !== "" && !HOST_NAME.test(host) && !IPV6.test(host))
    throw new ValidationError("host", `${JSON.stringify(host)} is not a host name or address`);
  const user = body.user == null ? null : oneLine(body.user, "user") || null;
  const checked: CheckedEmailSettings = {
    enabled: body.enabled,
    host,
    port: body.port,
    security: body.security,
    user,
    from: checkEmailAddress(body.from, "from"),
  };
  if (body.password !== undefined) {
    if (body.password !== null && /[\r\n\0]/.test(body.password))
      throw new ValidationError("password", "must be one line");
    checked.password = body.password === null || body.password === "" ? null : body.password;
  }
  if (checked.password !== undefined && checked.password !== null && user === null)
    throw new ValidationError("user", "is needed with a password");
  return checked;
}
