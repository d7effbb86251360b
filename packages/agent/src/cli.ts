// The `wgfleet-agent` command's logic (and `wgfleet-agent join`, see join/): reads flags, environment and config file, starts the agent, and handles
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
import { type JoinOptions, joinUsageText, parseJoinFlags } from "./join/join-options.js";
import { createLogger, type RedactingLogger } from "./logging/logger.js";
import { AGENT_VERSION } from "./version.js";

/** Runs the agent; resolves with an exit code, or -1 while the agent keeps running. */
export async function runCli(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  if (argv[0] === "join") return runJoin(argv.slice(1), env);
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
  serveUntilSignalled(agent, log);
  return -1;
}

/** `wgfleet-agent join …`: enrolls with a join token, then serves like the plain command. */
async function runJoin(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  let join: JoinOptions;
  try {
    const parsed = parseJoinFlags(argv, env);
    if (parsed === "help") {
      process.stdout.write(`${joinUsageText()}\n`);
      return 0;
    }
    join = parsed;
  } catch (error) {
    return fail(error, 2);
  }
  const level = typeof join.settings.logLevel === "string" ? join.settings.logLevel : "info";
  const format = join.settings.logFormat === "pretty" ? "pretty" : "json";
  const log = await createLogger({ format, level });
  try {
    const { startAgent } = await import("./agent.js");
    const { joinDashboard } = await import("./join/join.js");
    const joined = await joinDashboard(join, log, startAgent);
    log.logger.info({ nodeId: joined.nodeId, config: join.configFile }, "joined the dashboard");
    process.stdout.write(
      `joined ${join.dashboard.origin} as node ${joined.nodeId}; settings in ${join.configFile}\n`,
    );
    serveUntilSignalled(joined.agent, log);
    return -1;
  } catch (error) {
    return fail(error, error instanceof UsageError ? 2 : 1);
  }
}

function serveUntilSignalled(agent: RunningAgent, log: RedactingLogger): void {
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
