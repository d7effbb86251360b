// The shared secrets the agent accepts, keyed by key id. Key id = core's `keyIdForSecret` (first 8 hex
// digits of SHA-256(secret)), so both sides derive it from the secret alone. Never logs or returns a secret.
import { readFile } from "node:fs/promises";
import { keyIdForSecret } from "@wgfleet/core";
import { UsageError } from "./options.js";

/** Re-exported from core, where the scheme is defined once for the agent and the dashboard. */
export { keyIdForSecret };

export const MIN_SECRET_LENGTH = 16;

/**
 * Reads the secret file (line 1: current secret, optional line 2: the previous one) and the optional
 * previous-secret file. Returns key id -> secret. Errors name the file and the problem, never the secret.
 */
export async function loadSecrets(
  secretFile: string,
  previousSecretFile: string | null,
): Promise<Map<string, string>> {
  const lines = await readSecretLines(secretFile);
  if (lines.length === 0) throw new UsageError(`secret file ${secretFile} is empty`);
  if (lines.length > 2) throw new UsageError(`secret file ${secretFile} has more than two lines`);
  if (previousSecretFile !== null) {
    const previous = await readSecretLines(previousSecretFile);
    if (previous.length !== 1)
      throw new UsageError(`previous secret file ${previousSecretFile} must hold one line`);
    lines.push(previous[0] as string);
  }
  const secrets = new Map<string, string>();
  for (const secret of lines) {
    if (secret.length < MIN_SECRET_LENGTH) {
      throw new UsageError(`a secret in ${secretFile} is shorter than ${MIN_SECRET_LENGTH} characters`);
    }
    secrets.set(keyIdForSecret(secret), secret);
  }
  return secrets;
}

/** A bearer token file (one line), e.g. for GET /metrics. */
export async function loadToken(file: string): Promise<string> {
  const lines = await readSecretLines(file);
  const token = lines[0];
  if (lines.length !== 1 || token === undefined)
    throw new UsageError(`token file ${file} must hold one line`);
  if (token.length < MIN_SECRET_LENGTH) {
    throw new UsageError(`token in ${file} is shorter than ${MIN_SECRET_LENGTH} characters`);
  }
  return token;
}

async function readSecretLines(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    throw new UsageError(`cannot read secret file ${file}: ${code}`);
  }
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}
