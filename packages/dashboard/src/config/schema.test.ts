// The schema is the one list of settings: every environment variable the dashboard's code mentions and
// every `serve` flag must be in it (and so in docs/configuration.md), and nothing in it may be unread.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SERVE_HELP, SERVE_OPTIONS } from "../cli/serve.js";
import { fileKeyOf, SETTINGS, secretFileEnvOf } from "./schema.js";

const SRC = fileURLToPath(new URL("..", import.meta.url));
const OWN_FILES = new Set(["schema.ts", "schema.test.ts"]);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "test-support" ? [] : sources(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") && !OWN_FILES.has(entry.name)
      ? [path]
      : [];
  });
}

/** Every WGFLEET_* / DATABASE_URL name in the dashboard's code (prefixes such as "WGFLEET_OIDC_" aside). */
function variablesInCode(): Set<string> {
  const names = new Set<string>();
  for (const path of sources(SRC)) {
    for (const match of readFileSync(path, "utf8").matchAll(
      /\b(?:WGFLEET_[A-Z0-9_]*[A-Z0-9]|DATABASE_URL\w*)\b/g,
    )) {
      names.add(match[0]);
    }
  }
  return names;
}

describe("settings schema", () => {
  const inSchema = new Set(
    SETTINGS.flatMap((def) => (def.secret ? [def.env, secretFileEnvOf(def.env)] : [def.env])),
  );

  it("lists every environment variable the dashboard's code reads", () => {
    const code = variablesInCode();
    expect(code.size).toBeGreaterThan(40);
    expect([...code].filter((name) => !inSchema.has(name))).toEqual([]);
  });

  it("lists nothing the code never mentions", () => {
    const code = variablesInCode();
    expect(SETTINGS.map((def) => def.env).filter((name) => !code.has(name))).toEqual([]);
  });

  it("has every serve flag, and every flag it names is one serve takes and its help explains", () => {
    const flagsInSchema = SETTINGS.flatMap((def) => (def.flag ? [def.flag.split(" ")[0] as string] : []));
    const serveFlags = Object.keys(SERVE_OPTIONS)
      .filter((name) => name !== "help")
      .map((name) => `--${name}`);
    expect([...flagsInSchema].sort()).toEqual([...serveFlags].sort());
    for (const flag of flagsInSchema) expect(SERVE_HELP, flag).toContain(flag);
  });

  it("gives every setting a distinct file key and a description", () => {
    const keys = SETTINGS.map((def) => fileKeyOf(def.env));
    expect(new Set(keys).size).toBe(keys.length);
    expect(fileKeyOf("WGFLEET_STATS_HOUR_RETENTION_DAYS")).toBe("statsHourRetentionDays");
    expect(fileKeyOf("DATABASE_URL")).toBe("databaseUrl");
    for (const def of SETTINGS) expect(def.description.length, def.env).toBeGreaterThan(10);
  });
});
