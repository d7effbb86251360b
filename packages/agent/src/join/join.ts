// `wgfleet-agent join`: enrollment without pasting a secret. Makes the agent's secret (256 random bits),
// writes it and the settings file, starts serving (the dashboard checks the agent's health before it
// adds the node), then registers at the dashboard's public POST /api/v1/join with the one-time token.
// A refusal stops the agent and removes everything it wrote; the caller prints one line and exits ≠ 0.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { RunningAgent } from "../agent.js";
import { type AgentOptions, resolveOptions, UsageError } from "../config/options.js";
import type { RedactingLogger } from "../logging/logger.js";
import { agentUrlFor, type JoinOptions } from "./join-options.js";

/** The dashboard refused the join (its message), or could not be reached. */
export class JoinRefusedError extends Error {}

export interface Joined {
  agent: RunningAgent;
  nodeId: string;
}

export async function joinDashboard(
  join: JoinOptions,
  log: RedactingLogger,
  start: (options: AgentOptions, log: RedactingLogger) => Promise<RunningAgent>,
): Promise<Joined> {
  for (const file of [join.configFile, join.secretFile]) {
    if (existsSync(file)) {
      throw new UsageError(
        `${file} exists: this server joined already (run wgfleet-agent --config ${join.configFile})`,
      );
    }
  }
  const options = resolveOptions(join.settings, {}, {});
  const written: string[] = [];
  const stateDirExisted = existsSync(options.stateDir);
  const secret = randomBytes(32).toString("base64url");
  let agent: RunningAgent | null = null;
  try {
    await writePrivate(join.secretFile, `${secret}\n`, written);
    await writePrivate(join.configFile, `${JSON.stringify(join.settings, null, 2)}\n`, written);
    agent = await start(options, log);
    const agentUrl = agentUrlFor(join, options.listen, options.tlsCert !== null);
    const nodeId = await register(join, agentUrl, secret);
    return { agent, nodeId };
  } catch (error) {
    await agent?.stop().catch(() => undefined);
    for (const file of written) await rm(file, { force: true });
    if (!stateDirExisted) await rm(options.stateDir, { recursive: true, force: true });
    throw error;
  }
}

async function writePrivate(file: string, text: string, written: string[]): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, text, { mode: 0o600, flag: "wx" });
  written.push(file);
}

/** POST /api/v1/join; the node's id, or JoinRefusedError with the dashboard's message. */
async function register(join: JoinOptions, agentUrl: string, secret: string): Promise<string> {
  const url = new URL(
    "api/v1/join",
    join.dashboard.href.endsWith("/") ? join.dashboard : `${join.dashboard.href}/`,
  );
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: join.token, name: join.name, agentUrl, secret, endpoint: join.endpoint }),
      redirect: "error",
      signal: AbortSignal.timeout(60_000),
    });
  } catch (error) {
    throw new JoinRefusedError(`dashboard ${join.dashboard.origin} unreachable: ${(error as Error).message}`);
  }
  const text = await response.text();
  let body: { id?: string; error?: { message?: string } } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // not JSON: the status says enough
  }
  if (response.status !== 201 || typeof body.id !== "string") {
    const reason = body.error?.message ?? `HTTP ${response.status}`;
    throw new JoinRefusedError(`the dashboard refused the join: ${reason}`);
  }
  return body.id;
}
