// The three layers under the flags, merged into one environment-shaped view: the config file, then the
// environment on top (each with its `_FILE` secrets read), then the resolvers' defaults below both.
// Remembers which values came from the file, so an error about one names the file and its key rather
// than an environment variable the operator never set.
import { resolve } from "node:path";
import { ValidationError, WgFleetError } from "@wgfleet/core";
import { type EnvLayer, readConfigFile } from "./config-file.js";
import { CONFIG_ENV, fileKeyOf } from "./schema.js";
import { expandSecretFiles, type ReadSecret } from "./secret-files.js";

type Env = Readonly<Record<string, string | undefined>>;

export interface Layered {
  /** Environment variables as the resolvers read them: environment over file. */
  env: EnvLayer;
  /** The config file, when one was given (absolute path). */
  configPath: string | null;
  /** Variables whose value came from the config file. */
  fromFile: ReadonlySet<string>;
}

/**
 * `configFlag` is `--config`; WGFLEET_CONFIG names the file otherwise. `keep` drops variables from both
 * layers before any secret file of theirs is read (admin commands ignore the sign-in settings).
 */
export function layerSettings(
  configFlag: string | undefined,
  env: Env,
  read: ReadSecret,
  keep: (layer: Env) => Env = (layer) => layer,
): Layered {
  const fromEnv = expandSecretFiles(keep(env), read);
  const configText = configFlag ?? fromEnv[CONFIG_ENV];
  if (configText === undefined) return { env: fromEnv, configPath: null, fromFile: new Set() };
  const configPath = resolve(configText);
  const where = `config file ${configPath}: `;
  const fileLayer = readConfigFile(configPath, configFlag !== undefined ? "--config" : CONFIG_ENV);
  const fromFileLayer = expandSecretFiles(keep(fileLayer), read, fileKeyOf, where);
  const fromFile = new Set(Object.keys(fromFileLayer).filter((name) => fromEnv[name] === undefined));
  return { env: { ...fromFileLayer, ...fromEnv }, configPath, fromFile };
}

/** A resolver's error about a variable the file set, told as the file's key. */
export function blameFile(error: unknown, layered: Layered): unknown {
  if (!(error instanceof WgFleetError) || error.code !== "VALIDATION" || !error.field) return error;
  if (!layered.fromFile.has(error.field)) return error;
  const detail = error.message.startsWith(`${error.field}: `)
    ? error.message.slice(error.field.length + 2)
    : error.message;
  return new ValidationError(`config file ${layered.configPath}: ${fileKeyOf(error.field)}`, detail);
}
