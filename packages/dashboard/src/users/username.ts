// What a username may look like: short, printable, no spaces, safe in a log line and a URL.
import { USERNAME_PATTERN, ValidationError } from "@wgfleet/core";

export { USERNAME_PATTERN };

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
