// `_FILE` variants of secrets: WGFLEET_ADMIN_PASSWORD_FILE=/run/secrets/admin names a file whose content
// (trailing newline dropped) is the value, so secrets need not sit in the environment or the config file
// (Docker and systemd credentials). Giving both the value and the file is an error: which one was meant?
import { ValidationError } from "@wgfleet/core";
import type { EnvLayer } from "./config-file.js";
import { SECRET_SETTINGS, secretFileEnvOf } from "./schema.js";

type Env = Readonly<Record<string, string | undefined>>;
export type ReadSecret = (path: string, name: string) => string;

/**
 * Returns the layer with every `<SECRET>_FILE` replaced by `<SECRET>` holding the file's content.
 * `nameOf` says how the layer calls a variable in errors (the env name, or the config-file key), and
 * `where` what goes before it (the config file).
 */
export function expandSecretFiles(
  layer: Env,
  read: ReadSecret,
  nameOf: (env: string) => string = (env) => env,
  where = "",
): EnvLayer {
  const out: EnvLayer = {};
  for (const [name, value] of Object.entries(layer)) {
    if (value !== undefined && value !== "") out[name] = value;
  }
  for (const def of SECRET_SETTINGS) {
    const fileEnv = secretFileEnvOf(def.env);
    const file = out[fileEnv];
    if (file === undefined) continue;
    if (out[def.env] !== undefined) {
      throw new ValidationError(
        where + nameOf(fileEnv),
        `give either ${nameOf(def.env)} or ${nameOf(fileEnv)}, not both`,
      );
    }
    out[def.env] = read(file, where + nameOf(fileEnv));
    delete out[fileEnv];
  }
  return out;
}
