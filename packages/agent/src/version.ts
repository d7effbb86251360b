// The agent's release, read once from its package.json (src/ and dist/ both sit one level below it, so
// the same relative path works under tsx and from an installed package).
import { readFileSync } from "node:fs";

/** The package version, e.g. "0.1.0". */
export const AGENT_VERSION: string = (
  JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }
).version;
