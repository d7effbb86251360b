// The dashboard's logger: pino JSON lines to stdout, or pino-pretty for people. Secrets are redacted
// here by field name, so no caller can log a password, a key or a token by passing an object along.

import { createRequire } from "node:module";
import pino, { type DestinationStream, type Logger as PinoLogger } from "pino";

export type Logger = PinoLogger;
export type LogFormat = "json" | "pretty";
export const LOG_FORMATS: readonly LogFormat[] = ["json", "pretty"];

/** Header names that carry credentials. */
const SECRET_HEADERS = ["authorization", "cookie", "set-cookie", "x-csrf-token", "x-wgfleet-signature"];
/** Field names that carry secrets wherever they appear in a logged object. */
const SECRET_FIELDS = [
  "password",
  "currentPassword",
  "newPassword",
  "passwordHash",
  "password_hash",
  "privateKey",
  "private_key",
  "presharedKey",
  "preshared_key",
  "secret",
  "token",
  "csrfToken",
  "apiKey",
  "key",
];

/** pino redact paths: headers of requests and responses, secret fields up to three levels deep. */
export function redactPaths(): string[] {
  const headers = SECRET_HEADERS.flatMap((name) =>
    ["req.headers", "res.headers", "headers"].map((base) => `${base}["${name}"]`),
  );
  const fields = SECRET_FIELDS.flatMap((name) => [name, `*.${name}`, `*.*.${name}`]);
  return [...headers, ...fields];
}

export interface LoggerOptions {
  format?: LogFormat;
  level?: string;
  /** Where lines go; stdout when not given (tests pass a capturing stream). */
  destination?: DestinationStream;
  /** Without a destination: 1 (stdout, the default) or 2 (stderr, admin commands). */
  fd?: 1 | 2;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const base: pino.LoggerOptions = {
    level: options.level ?? "info",
    redact: { paths: redactPaths(), censor: "[redacted]" },
    base: { service: "wgfleet" },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (options.format === "pretty") {
    const fd = options.fd ?? 1;
    const colorize = (fd === 1 ? process.stdout : process.stderr).isTTY;
    // pino-pretty is required here, not imported at start: JSON (the default) never needs it.
    const pretty = createRequire(import.meta.url)("pino-pretty") as typeof import("pino-pretty");
    return pino(base, options.destination ?? pretty({ sync: true, colorize, destination: fd }));
  }
  return pino(base, options.destination ?? pino.destination({ dest: options.fd ?? 1, sync: true }));
}

/** A logger that drops everything (CLI commands that print their own output, unit tests). */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
