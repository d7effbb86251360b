// `wgfleet-agent join` flags: where the dashboard is, the one-time token, the node's name and the host
// clients reach it at, where the settings are written, and --dial-out for an agent the dashboard cannot
// call (it joins with no agent URL, and its settings keep the dashboard's URL as `dashboard`, so it dials
// out whenever it runs). Every other flag is an ordinary agent setting and goes into the settings file;
// --listen is required unless it dials out. Pure: reads no files.
import { dirname, join } from "node:path";
import { dashboardUrl } from "../config/dashboard-url.js";
import { parseFlags, UsageError } from "../config/options.js";

/** The settings file the packaged systemd unit (wgfleet-agent.service) starts the agent with. */
export const DEFAULT_JOIN_CONFIG = "/etc/wgfleet/agent.json";

export interface JoinOptions {
  dashboard: URL;
  token: string;
  name: string;
  endpoint: string;
  /** The agent dials out (--dial-out): it joins with no agent URL and keeps a connection to the dashboard. */
  dialOut: boolean;
  /** How the dashboard reaches this agent; derived from --listen (or --endpoint) when not given. */
  agentUrl: string | null;
  /** The settings file to write (the agent's --config format). */
  configFile: string;
  secretFile: string;
  /** The ordinary agent settings given (camelCase, as the settings file holds them). */
  settings: Record<string, string | number | boolean>;
}

const JOIN_FLAGS = ["dashboard", "token", "name", "endpoint", "agent-url", "config"] as const;
type JoinFlag = (typeof JOIN_FLAGS)[number];

export function joinUsageText(): string {
  return [
    "usage: wgfleet-agent join --dashboard URL --token TOKEN --name NAME --listen HOST:PORT --endpoint HOST [agent options]",
    "       wgfleet-agent join --dashboard URL --token TOKEN --name NAME --dial-out --endpoint HOST [agent options]",
    "",
    "Joins a wgfleet dashboard with a one-time token an admin made (Nodes > Join token): makes this agent's",
    "secret, writes its settings, registers the node and serves as `wgfleet-agent --config FILE` would.",
    "",
    "  --dashboard URL         the dashboard (https://…; http:// only to a loopback address)",
    "  --token TOKEN           the join token (env WGFLEET_AGENT_JOIN_TOKEN)",
    "  --name NAME             the node's name in the dashboard",
    "  --endpoint HOST         the host clients' WireGuard connects to",
    "  --agent-url URL         how the dashboard reaches this agent (default: from --listen, or --endpoint)",
    "  --dial-out              the dashboard cannot reach this server: the agent connects to --dashboard",
    "                          and takes its requests there (stored as `dashboard` in the settings);",
    "                          --listen is then optional (without it the agent opens no port)",
    `  --config FILE           the settings file to write (default ${DEFAULT_JOIN_CONFIG});`,
    "                          the secret goes to --secret-file (default: beside it, `secret`)",
    "  any other wgfleet-agent option (see wgfleet-agent --help) is stored in the settings file",
  ].join("\n");
}

/** Parses `join`'s argv (after the word join). Returns "help" for --help. */
export function parseJoinFlags(argv: readonly string[], env: NodeJS.ProcessEnv): JoinOptions | "help" {
  const own: Partial<Record<JoinFlag, string>> = {};
  const rest: string[] = [];
  let dialOut = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--help" || arg === "-h") return "help";
    if (arg === "--dial-out") {
      dialOut = true;
      continue;
    }
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq === -1 ? undefined : eq) as JoinFlag;
    if (!arg.startsWith("--") || !JOIN_FLAGS.includes(name)) {
      rest.push(arg);
      continue;
    }
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined || value === "" || (eq === -1 && value.startsWith("--"))) {
      throw new UsageError(`--${name} needs a value`);
    }
    own[name] = value;
  }
  const flags = parseFlags(rest);
  if (flags === "help") return "help";
  if (flags === "version") throw new UsageError("--version is not a join flag (see wgfleet-agent --version)");
  const { config: _ignored, ...settings } = flags;
  if (!dialOut && typeof settings.listen !== "string") {
    throw new UsageError("--listen HOST:PORT is required (or --dial-out for an agent that dials out)");
  }
  if (dialOut && own["agent-url"]) {
    throw new UsageError("--agent-url and --dial-out exclude each other: an agent that dials out has no URL");
  }
  const token = own.token ?? env.WGFLEET_AGENT_JOIN_TOKEN;
  if (!own.dashboard) throw new UsageError("--dashboard URL is required");
  if (!token) throw new UsageError("--token TOKEN is required (or WGFLEET_AGENT_JOIN_TOKEN)");
  if (!own.name) throw new UsageError("--name NAME is required");
  if (!own.endpoint) throw new UsageError("--endpoint HOST is required");
  // The hidden test-fleet flag lets the join itself use the same plain-HTTP dashboard the link will.
  const dashboard = dashboardUrl(own.dashboard, settings.dashboardAllowHttp === true);
  const configFile = own.config ?? DEFAULT_JOIN_CONFIG;
  const secretFile =
    typeof settings.secretFile === "string" ? settings.secretFile : join(dirname(configFile), "secret");
  return {
    dashboard,
    token,
    name: own.name,
    endpoint: own.endpoint,
    dialOut,
    agentUrl: own["agent-url"] ?? null,
    configFile,
    secretFile,
    settings: {
      ...settings,
      secretFile,
      ...(dialOut ? { dashboard: dashboard.href } : {}),
    } as Record<string, string | number | boolean>,
  };
}

/** The agent URL the dashboard is given: --agent-url, else the listen address, else the endpoint host. */
export function agentUrlFor(
  options: JoinOptions,
  listen: { host: string; port: number },
  tls: boolean,
): string {
  if (options.agentUrl) return options.agentUrl;
  const unspecified = listen.host === "0.0.0.0" || listen.host === "::";
  const host = unspecified ? options.endpoint : listen.host;
  return `${tls ? "https" : "http"}://${host.includes(":") ? `[${host}]` : host}:${listen.port}`;
}
