// The agent's logger: pino JSON lines to stdout (or pino-pretty for people). Key material never reaches
// a line: known secret fields are redacted by path, and the shared secrets themselves are scrubbed from
// every line as a last guard. Request and response bodies are never logged.
import { Writable } from "node:stream";
import { type DestinationStream, type Logger, pino } from "pino";

export type AgentLogger = Logger;

const REDACT_PATHS = [
  "privateKey",
  "presharedKey",
  "secret",
  "token",
  "*.privateKey",
  "*.presharedKey",
  "*.secret",
  "*.token",
  "*.*.privateKey",
  "*.*.presharedKey",
  "headers.authorization",
  'headers["x-wgfleet-signature"]',
  "req.headers.authorization",
  'req.headers["x-wgfleet-signature"]',
];

export interface LoggerOptions {
  format: "json" | "pretty";
  level: string;
  /** Where lines go; stdout by default. */
  destination?: NodeJS.WritableStream;
}

/** A logger plus a way to tell it the strings that must never appear in a line. */
export interface RedactingLogger {
  logger: AgentLogger;
  setSecrets(secrets: Iterable<string>): void;
}

export async function createLogger(options: LoggerOptions): Promise<RedactingLogger> {
  const scrubber = new SecretScrubber(options.destination ?? process.stdout);
  // pino-pretty is loaded only when asked for: a node agent logs JSON and should not carry it.
  const stream: DestinationStream =
    options.format === "pretty"
      ? (await import("pino-pretty")).default({ destination: scrubber, colorize: false, sync: true })
      : scrubber;
  const logger = pino(
    {
      level: options.level,
      base: { service: "wgfleet-agent" },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    stream,
  );
  return { logger, setSecrets: (secrets) => scrubber.setSecrets(secrets) };
}

/** Replaces every known secret string in a line before it is written. */
class SecretScrubber extends Writable {
  private secrets: string[] = [];

  constructor(private readonly out: NodeJS.WritableStream) {
    super({ decodeStrings: false });
  }

  setSecrets(secrets: Iterable<string>): void {
    this.secrets = [...secrets].filter((s) => s.length > 0);
  }

  override _write(
    chunk: Buffer | string,
    _encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    let text = typeof chunk === "string" ? chunk : chunk.toString("utf8");
    for (const secret of this.secrets) {
      if (text.includes(secret)) text = text.replaceAll(secret, "[redacted]");
    }
    this.out.write(text);
    callback();
  }
}
