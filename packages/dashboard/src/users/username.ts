// What a username may look like: short, printable, no spaces, safe in a log line and a URL.
import { ValidationError } from "@wgfleet/core";

export const USERNAME_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$";
const USERNAME = new RegExp(USERNAME_PATTERN);

export function validateUsername(username: string, field = "username"): string {
  if (!USERNAME.test(username)) {
    throw new ValidationError(
      field,
      "must be 1-64 characters: letters, digits and . _ @ -, starting with a letter or digit",
    );
  }
  return username;
}
