// `wgfleet-agent join`: enrollment without pasting a secret. Makes the agent's secret (256 random bits),
// writes it and the settings file, starts serving (the dashboard checks the agent's health before it
// adds the node), then registers at the dashboard's public POST /api/v1/join with the one-time token.
// An agent that dials out (--dial-out) registers with `dialOut: true` and no agent URL; it is started
// first all the same (a server that cannot run the agent must not use up the token) but dials only once
// the node exists, so its first connection is not refused as an unknown key.
// A refusal stops the agent and removes everything it wrote; the caller prints one line and exits ≠ 0.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { RunningAgent, StartAgent } from "../agent.js";
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
  start: StartAgent,
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
    agent = await start(options, log, { dialLater: true });
    const nodeId = await register(join, reachBy(join, options), secret);
    agent.dashboardLink?.start();
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

/** How the dashboard reaches the agent: `dialOut: true`, or the agent URL it calls. */
type Reach = { dialOut: true } | { agentUrl: string };

function reachBy(join: JoinOptions, options: AgentOptions): Reach {
  if (join.dialOut) return { dialOut: true };
  if (!options.listen) throw new UsageError("--listen HOST:PORT is required (or --dial-out)");
  return { agentUrl: agentUrlFor(join, options.listen, options.tlsCert !== null) };
}

/** POST /api/v1/join; the node's id, or JoinRefusedError with the dashboard's message. */
async function register(join: JoinOptions, reach: Reach, secret: string): Promise<string> {
  const url = new URL(
    "api/v1/join",
    join.dashboard.href.endsWith("/") ? join.dashboard : `${join.dashboard.href}/`,
  );
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: join.token, name: join.name, ...reach, secret, endpoint: join.endpoint }),
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
