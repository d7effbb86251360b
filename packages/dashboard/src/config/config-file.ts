// The YAML config file (`--config FILE` or WGFLEET_CONFIG): a mapping of the setting keys of schema.ts
// to values of the setting's type. It becomes the lowest layer under the environment, so it is turned
// into environment-shaped text here and every resolver reads one merged view. Strict: an unknown key, a
// value of the wrong type or an unreadable file is an error naming the file and the key.
import { readFileSync } from "node:fs";
import { ValidationError } from "@wgfleet/core";
import { parse as parseYaml } from "yaml";
import { CONFIG_ENV, fileKeyOf, SETTINGS, type SettingType, secretFileEnvOf } from "./schema.js";

export type EnvLayer = Record<string, string>;

interface FileKey {
  env: string;
  type: SettingType;
}

/** file key → environment variable and type; secrets also take `<key>File` (a file holding the value). */
export const FILE_KEYS: ReadonlyMap<string, FileKey> = new Map(
  SETTINGS.filter((def) => def.env !== CONFIG_ENV).flatMap((def) => {
    const entries: [string, FileKey][] = [[fileKeyOf(def.env), { env: def.env, type: def.type }]];
    if (def.secret) {
      const fileEnv = secretFileEnvOf(def.env);
      entries.push([fileKeyOf(fileEnv), { env: fileEnv, type: "string" }]);
    }
    return entries;
  }),
);

/** Reads and parses the file; any failure is one line naming it (`name`: where it was given). */
export function readConfigFile(path: string, name = "--config"): EnvLayer {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new ValidationError(name, `cannot read ${path} (${code})`);
  }
  return parseConfigFile(text, path);
}

/** YAML (and so JSON) text → the environment variables it sets. */
export function parseConfigFile(text: string, path: string): EnvLayer {
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    const firstLine = (error as Error).message.split("\n")[0];
    throw new ValidationError(`config file ${path}`, `not valid YAML: ${firstLine}`);
  }
  if (parsed === null || parsed === undefined) return {}; // an empty file sets nothing
  if (typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ValidationError(`config file ${path}`, "expected a mapping of setting: value");
  }
  const layer: EnvLayer = {};
  for (const [key, value] of Object.entries(parsed)) {
    const setting = FILE_KEYS.get(key);
    if (!setting) {
      throw new ValidationError(
        `config file ${path}`,
        `unknown setting "${key}" (see docs/configuration.md)`,
      );
    }
    if (value === null) continue; // `key:` with no value: not set
    layer[setting.env] = asText(value, setting.type, () => `config file ${path}: ${key}`);
  }
  return layer;
}

function asText(value: unknown, type: SettingType, where: () => string): string {
  const wrong = (expected: string) =>
    new ValidationError(where(), `expected ${expected}, got ${JSON.stringify(value)}`);
  switch (type) {
    case "boolean":
      if (typeof value !== "boolean") throw wrong("true or false");
      return String(value);
    case "integer":
      if (typeof value !== "number" || !Number.isInteger(value)) throw wrong("a whole number");
      return String(value);
    case "number":
      if (typeof value !== "number" || !Number.isFinite(value)) throw wrong("a number");
      return String(value);
    case "list":
      if (typeof value === "string") return value;
      if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value.join(",");
      throw wrong("a list of strings");
    case "string":
      if (typeof value !== "string") throw wrong("a string");
      return value;
  }
}
