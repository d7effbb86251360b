// The `wgfleet-agent` command's logic: reads flags, environment and config file, starts the agent, and handles
// signals (TERM/INT stop it and leave the interfaces up; HUP re-reads the secret files). A bad flag or
// an unreadable file ends it with one line on stderr saying why.
import { readFile } from "node:fs/promises";
import type { RunningAgent } from "./agent.js";
import {
  configFilePath,
  parseConfigFile,
  parseFlags,
  readEnv,
  resolveOptions,
  UsageError,
  usageText,
} from "./config/options.js";
import { createLogger } from "./logging/logger.js";
import { AGENT_VERSION } from "./version.js";

/** Runs the agent; resolves with an exit code, or -1 while the agent keeps running. */
export async function runCli(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  let options: ReturnType<typeof resolveOptions>;
  try {
    const flags = parseFlags(argv);
    if (flags === "help") {
      process.stdout.write(`${usageText()}\n`);
      return 0;
    }
    if (flags === "version") {
      process.stdout.write(`${AGENT_VERSION}\n`);
      return 0;
    }
    const fromEnv = readEnv(env);
    const configPath = configFilePath(flags, fromEnv);
    const fromFile = configPath ? parseConfigFile(await readConfig(configPath), configPath) : {};
    options = resolveOptions(flags, fromEnv, fromFile);
  } catch (error) {
    return fail(error, 2);
  }
  const log = await createLogger({ format: options.logFormat, level: options.logLevel });
  let agent: RunningAgent;
  try {
    // Loaded here so that --help and flag errors answer without loading the driver.
    const { startAgent } = await import("./agent.js");
    agent = await startAgent(options, log);
  } catch (error) {
    // The reason goes to stderr as one line; the log gets it without a stack (the stack only at debug).
    log.logger.error({ reason: messageOf(error) }, "agent could not start");
    log.logger.debug({ err: error }, "agent start failure");
    return fail(error, error instanceof UsageError ? 2 : 1);
  }
  const stop = (signal: string) => {
    log.logger.info({ signal }, "stopping; interfaces stay up");
    agent.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
  process.on("SIGHUP", () => {
    agent.reloadSecrets().catch((error: unknown) => {
      log.logger.error({ err: error }, "secret reload failed; the previous secrets stay in use");
    });
  });
  return -1;
}

async function readConfig(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw new UsageError(
      `cannot read config file ${path}: ${(error as NodeJS.ErrnoException).code ?? "error"}`,
    );
  }
}

function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0] ?? "failed";
}

function fail(error: unknown, code: number): number {
  process.stderr.write(`wgfleet-agent: ${messageOf(error)}\n`);
  return code;
}
