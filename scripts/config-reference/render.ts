// Renders docs/configuration.md from the dashboard's settings schema (packages/dashboard/src/config/
// schema.ts). Pure and deterministic, so test/docs/configuration.test.ts can spot a stale file.
import { fileURLToPath } from "node:url";
import {
  CONFIG_ENV,
  fileKeyOf,
  SETTINGS,
  type SettingDef,
  secretFileEnvOf,
} from "../../packages/dashboard/src/config/schema.js";

export const CONFIGURATION_DOC_PATH = fileURLToPath(new URL("../../docs/configuration.md", import.meta.url));
export const REGENERATE_COMMAND = "npm run -s docs:config";

/** The example of the intro; the test parses it with the dashboard's own config-file reader. */
export const EXAMPLE_CONFIG = `# /etc/wgfleet/dashboard.yaml
listen: 127.0.0.1:10086
dataDir: /var/lib/wgfleet
publicUrl: https://vpn.example.com
trustProxy: true
cookieSecure: true
databaseUrlFile: /etc/wgfleet/database-url   # postgres://wgfleet:...@127.0.0.1/wgfleet
databasePoolSize: 20
sessionLifetimeHours: 12
sessionIdleMinutes: 60
metricsListen: 127.0.0.1:9586
statsRetentionDays: 14
oidcIssuer: https://id.example.com/realms/main
oidcClientId: wgfleet
oidcClientSecretFile: /etc/wgfleet/oidc-client-secret
oidcAdminValues: [wg-admins]
oidcViewerValues: [wg-users]
`;

export function renderConfigurationDoc(): string {
  const groups = [...new Set(SETTINGS.map((def) => def.group))];
  return [
    INTRO,
    "```yaml",
    EXAMPLE_CONFIG.trimEnd(),
    "```",
    "",
    SECRETS_TEXT,
    ...secretList(),
    "",
    ...groups.flatMap((group) =>
      groupTable(
        group,
        SETTINGS.filter((def) => def.group === group),
      ),
    ),
  ].join("\n");
}

const INTRO = `# Configuration of the dashboard

<!-- Generated from packages/dashboard/src/config/schema.ts by \`${REGENERATE_COMMAND}\`; do not edit. -->

\`wgfleet serve\` reads every setting from up to three places; the first that has it wins:

1. a **flag** on the command line (\`--listen 0.0.0.0:10086\`),
2. an **environment variable** (\`WGFLEET_LISTEN=0.0.0.0:10086\`),
3. the **config file**, YAML (JSON works too), named by \`--config FILE\` or \`${CONFIG_ENV}\`,

and otherwise takes the default. Not every setting has a flag; every one has an environment variable
and a key in the file. The file key is the variable without \`WGFLEET_\`, in camelCase:
\`WGFLEET_STATS_RETENTION_DAYS\` is \`statsRetentionDays\`, \`DATABASE_URL\` is \`databaseUrl\`. Values
in the file are typed: \`true\`/\`false\` for switches, numbers for numbers, a list or a
comma-separated string for lists.

The file is checked before anything starts: an unknown key, a value of the wrong type, a file that
cannot be read or a value out of range stops \`wgfleet serve\` with one line naming the file and the key,
and a non-zero exit code. The admin commands (\`wgfleet user\`, \`apikey\`, \`backup\`, \`restore\`) take
\`--config\` too, so they open the same database as the server.

With systemd, point the unit at the file:
\`ExecStart=/usr/local/bin/wgfleet serve --config /etc/wgfleet/dashboard.yaml\` (the packaged unit
\`wgfleet.service\` reads \`/etc/wgfleet/dashboard.env\` as well; flags in \`ExecStart\` win over both).

An example:
`;

const SECRETS_TEXT = `## Secrets from files

Each secret can be given as a file instead of a value, so it needs to be neither in the environment nor
in the config file (Docker secrets, systemd credentials, a file of mode 0600): the variable with
\`_FILE\` appended, or the file key with \`File\` appended, names a file whose content is the value (a
trailing newline is dropped). Setting both the value and the file in the same place is an error; the
environment's value or file wins over the config file's. The secrets:
`;

function secretList(): string[] {
  return SETTINGS.filter((def) => def.secret).map(
    (def) =>
      `- \`${def.env}\`: \`${secretFileEnvOf(def.env)}\`, file key \`${fileKeyOf(def.env)}\` or \`${fileKeyOf(secretFileEnvOf(def.env))}\``,
  );
}

function groupTable(group: string, defs: SettingDef[]): string[] {
  return [
    `## ${group}`,
    "",
    "| Environment variable | Flag | File key | Type | Default | Meaning |",
    "| --- | --- | --- | --- | --- | --- |",
    ...defs.map(row),
    "",
  ];
}

function row(def: SettingDef): string {
  const cells = [
    `\`${def.env}\``,
    def.flag ? `\`${def.flag}\`` : "",
    def.env === CONFIG_ENV ? "(not in the file)" : `\`${fileKeyOf(def.env)}\``,
    def.type,
    def.default === undefined ? "" : def.default,
    def.secret ? `${def.description} Secret: also \`${secretFileEnvOf(def.env)}\`.` : def.description,
  ];
  return `| ${cells.map((cell) => cell.replaceAll("|", "\\|")).join(" | ")} |`;
}
