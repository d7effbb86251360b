// The agent's settings, from flags, environment variables (WGFLEET_AGENT_*) and an optional YAML (or
// JSON, which YAML includes) config file, in that order of precedence. Pure: reads no files itself (the config file's text is passed in).
import { parseEndpoint } from "@wgfleet/core";
import { parse as parseYaml } from "yaml";
import { dashboardUrl } from "./dashboard-url.js";
import { UsageError } from "./usage-error.js";

export type LogFormat = "json" | "pretty";

export interface AgentOptions {
  /** The HTTP(S) listener; null: none at all (an agent that only dials out, --dashboard without --listen). */
  listen: { host: string; port: number } | null;
  secretFile: string;
  previousSecretFile: string | null;
  stateDir: string;
  wgDir: string | null;
  tlsCert: string | null;
  tlsKey: string | null;
  allowHooks: boolean;
  driftIntervalSeconds: number;
  metricsTokenFile: string | null;
  netns: string | null;
  /** Dial out: keep a connection to this dashboard and answer its requests on it (null: only listen). */
  dashboard: URL | null;
  logFormat: LogFormat;
  logLevel: string;
}

type Kind = "string" | "boolean" | "integer";

interface OptionDef {
  flag: string;
  key: keyof AgentOptions | "config" | "dashboardAllowHttp";
  kind: Kind;
  help: string;
  hidden?: boolean;
}

export const DEFAULT_STATE_DIR = "/var/lib/wgfleet-agent";
export const DEFAULT_DRIFT_INTERVAL_SECONDS = 30;

const DEFS: OptionDef[] = [
  {
    flag: "listen",
    key: "listen",
    kind: "string",
    help: "HOST:PORT to listen on (required unless --dashboard: then no listener without it)",
  },
  { flag: "secret-file", key: "secretFile", kind: "string", help: "file with the shared secret (required)" },
  {
    flag: "previous-secret-file",
    key: "previousSecretFile",
    kind: "string",
    help: "file with the previous secret, still accepted during a rotation",
  },
  {
    flag: "state-dir",
    key: "stateDir",
    kind: "string",
    help: `desired state (default ${DEFAULT_STATE_DIR})`,
  },
  {
    flag: "wg-dir",
    key: "wgDir",
    kind: "string",
    help: "wireguard-go control sockets (default /var/run/wireguard)",
  },
  { flag: "tls-cert", key: "tlsCert", kind: "string", help: "PEM certificate: serve HTTPS (with --tls-key)" },
  { flag: "tls-key", key: "tlsKey", kind: "string", help: "PEM private key for --tls-cert" },
  { flag: "allow-hooks", key: "allowHooks", kind: "boolean", help: "accept PreUp/PostUp/... hooks" },
  {
    flag: "drift-interval-seconds",
    key: "driftIntervalSeconds",
    kind: "integer",
    help: `seconds between drift checks (default ${DEFAULT_DRIFT_INTERVAL_SECONDS})`,
  },
  {
    flag: "metrics-token-file",
    key: "metricsTokenFile",
    kind: "string",
    help: "file with a bearer token that may read GET /metrics unsigned",
  },
  {
    flag: "netns",
    key: "netns",
    kind: "string",
    help: "run WireGuard commands in this namespace",
    hidden: true,
  },
  {
    flag: "dashboard",
    key: "dashboard",
    kind: "string",
    help: "dial out: keep a connection to this dashboard (https://…) and take its requests on it",
  },
  {
    flag: "dashboard-allow-http",
    key: "dashboardAllowHttp",
    kind: "boolean",
    help: "accept an http:// --dashboard that is not on loopback (test fleets only)",
    hidden: true,
  },
  { flag: "log-format", key: "logFormat", kind: "string", help: "json (default) or pretty" },
  { flag: "log-level", key: "logLevel", kind: "string", help: "info (default), debug, warn, error" },
  {
    flag: "config",
    key: "config",
    kind: "string",
    help: "YAML or JSON file with any of these settings (camelCase)",
  },
];

export { UsageError };

export function envName(flag: string): string {
  return `WGFLEET_AGENT_${flag.toUpperCase().replaceAll("-", "_")}`;
}

export function usageText(): string {
  const rows = DEFS.filter((d) => !d.hidden).map((d) => {
    const left = `  --${d.flag}${d.kind === "boolean" ? "" : " VALUE"}`;
    return `${left.padEnd(34)}${d.help}\n${"".padEnd(34)}env ${envName(d.flag)}`;
  });
  return [
    "usage: wgfleet-agent --listen HOST:PORT --secret-file FILE [options]",
    "       wgfleet-agent --dashboard URL --secret-file FILE [options]  (dials out; --listen optional)",
    "       wgfleet-agent join --dashboard URL --token TOKEN ...  (join a dashboard: join --help)",
    "",
    "The wgfleet node agent: a signed HTTP API over this host's WireGuard interfaces.",
    "Each setting is also an environment variable or a key of the --config YAML/JSON file;",
    "flags win over the environment, which wins over the file.",
    "",
    ...rows,
    "  --version                       print the version",
    "  --help                          this text",
  ].join("\n");
}

type Raw = Partial<Record<OptionDef["key"] | "dashboardAllowHttp", string | boolean | number>>;

/** Parses argv (without node and script). Returns "help" for --help, "version" for --version. */
export function parseFlags(argv: readonly string[]): Raw | "help" | "version" {
  const raw: Raw = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--help" || arg === "-h") return "help";
    if (arg === "--version" || arg === "-v") return "version";
    if (!arg.startsWith("--")) throw new UsageError(`unexpected argument "${arg}" (see --help)`);
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const def = DEFS.find((d) => d.flag === name);
    if (!def) throw new UsageError(`unknown flag --${name} (see --help)`);
    if (def.kind === "boolean") {
      raw[def.key] = eq === -1 ? true : parseBoolean(arg.slice(eq + 1), `--${name}`);
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      i++;
    }
    if (value === undefined || (eq === -1 && value.startsWith("--"))) {
      throw new UsageError(`--${name} needs a value`);
    }
    raw[def.key] = value;
  }
  return raw;
}

export function readEnv(env: NodeJS.ProcessEnv): Raw {
  const raw: Raw = {};
  for (const def of DEFS) {
    const value = env[envName(def.flag)];
    if (value === undefined || value === "") continue;
    raw[def.key] = def.kind === "boolean" ? parseBoolean(value, envName(def.flag)) : value;
  }
  return raw;
}

/** The YAML (or JSON) config file: a mapping whose keys are the camelCase setting names. */
export function parseConfigFile(text: string, path: string): Raw {
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    const firstLine = (error as Error).message.split("\n")[0];
    throw new UsageError(`config file ${path} is not YAML or JSON: ${firstLine}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`config file ${path} must hold a mapping of setting: value`);
  }
  const raw: Raw = {};
  for (const [key, value] of Object.entries(parsed)) {
    const def = DEFS.find((d) => d.key === key && d.key !== "config");
    if (!def) throw new UsageError(`config file ${path}: unknown setting "${key}"`);
    const ok =
      (def.kind === "boolean" && typeof value === "boolean") ||
      (def.kind === "integer" && (typeof value === "number" || typeof value === "string")) ||
      (def.kind === "string" && typeof value === "string");
    if (!ok) throw new UsageError(`config file ${path}: "${key}" must be a ${def.kind}`);
    raw[def.key] = value as string | number | boolean;
  }
  return raw;
}

/** The config file named by a flag or the environment, if any (main reads it, then calls resolveOptions). */
export function configFilePath(flags: Raw, env: Raw): string | null {
  const path = flags.config ?? env.config;
  return typeof path === "string" ? path : null;
}

export function resolveOptions(flags: Raw, env: Raw, file: Raw = {}): AgentOptions {
  const merged: Raw = { ...file, ...env, ...flags };
  const str = (key: keyof AgentOptions): string | null => {
    const value = merged[key];
    return value === undefined ? null : String(value);
  };
  const dashboard = dashboardOption(str("dashboard"), merged.dashboardAllowHttp === true);
  const listenText = str("listen");
  // An agent that dials out takes every request on its own connection: it needs no listener.
  if (!listenText && !dashboard) {
    throw new UsageError(
      `--listen HOST:PORT is required (or ${envName("listen")}), unless the agent dials out with --dashboard URL`,
    );
  }
  const secretFile = str("secretFile");
  if (!secretFile) throw new UsageError(`--secret-file FILE is required (or ${envName("secret-file")})`);
  const tlsCert = str("tlsCert");
  const tlsKey = str("tlsKey");
  if ((tlsCert === null) !== (tlsKey === null)) throw new UsageError("--tls-cert and --tls-key go together");
  if (tlsCert !== null && !listenText) {
    throw new UsageError("--tls-cert and --tls-key serve HTTPS on --listen: give --listen too, or drop them");
  }
  const logFormat = str("logFormat") ?? "json";
  if (logFormat !== "json" && logFormat !== "pretty") {
    throw new UsageError(`--log-format must be json or pretty, not "${logFormat}"`);
  }
  const logLevel = str("logLevel") ?? "info";
  if (!["fatal", "error", "warn", "info", "debug", "trace", "silent"].includes(logLevel)) {
    throw new UsageError(`--log-level must be one of error, warn, info, debug, not "${logLevel}"`);
  }
  return {
    listen: listenText ? parseListen(listenText) : null,
    secretFile,
    previousSecretFile: str("previousSecretFile"),
    stateDir: str("stateDir") ?? DEFAULT_STATE_DIR,
    wgDir: str("wgDir"),
    tlsCert,
    tlsKey,
    allowHooks: merged.allowHooks === true,
    driftIntervalSeconds: parseInterval(merged.driftIntervalSeconds),
    metricsTokenFile: str("metricsTokenFile"),
    netns: str("netns"),
    dashboard,
    logFormat,
    logLevel,
  };
}

function dashboardOption(text: string | null, allowHttp: boolean): URL | null {
  return text === null ? null : dashboardUrl(text, allowHttp);
}

function parseListen(text: string): { host: string; port: number } {
  try {
    const { host, port } = parseEndpoint(text, "listen");
    if (port < 1) throw new UsageError("port 0");
    return { host, port };
  } catch {
    throw new UsageError(`--listen must be HOST:PORT (e.g. 0.0.0.0:7443 or [::]:7443), not "${text}"`);
  }
}

function parseInterval(value: string | number | boolean | undefined): number {
  if (value === undefined) return DEFAULT_DRIFT_INTERVAL_SECONDS;
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 86_400) {
    throw new UsageError(
      `--drift-interval-seconds must be a number of seconds in (0, 86400], not "${value}"`,
    );
  }
  return n;
}

function parseBoolean(text: string, name: string): boolean {
  if (["1", "true", "yes", "on"].includes(text.toLowerCase())) return true;
  if (["0", "false", "no", "off"].includes(text.toLowerCase())) return false;
  throw new UsageError(`${name} must be true or false, not "${text}"`);
}
