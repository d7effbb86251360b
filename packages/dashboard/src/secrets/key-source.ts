// Finds the 32-byte key that encrypts secrets at rest: the WGFLEET_SECRET_KEY environment variable, or
// `<dataDir>/secret.key`, created on first start with mode 0600. Never prints, logs or puts the key
// (or the variable's value) into an error message.
import { randomBytes } from "node:crypto";
import {
  closeSync,
  existsSync,
  fchmodSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";

export const SECRET_KEY_ENV = "WGFLEET_SECRET_KEY";
export const SECRET_KEY_FILE_NAME = "secret.key";
export const SECRET_KEY_BYTES = 32;

export interface KeyWarningSink {
  warn(obj: object, msg?: string): void;
}

export interface LoadedKey {
  key: Buffer;
  source: "env" | "file" | "new-file";
  /** The key file, when the key came from one. */
  path?: string;
}

/** Decodes canonical base64 of exactly 32 bytes, else null (never says what the text was). */
export function decodeKey(text: string): Buffer | null {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) return null;
  const key = Buffer.from(trimmed, "base64");
  if (key.length !== SECRET_KEY_BYTES || key.toString("base64") !== trimmed) return null;
  return key;
}

export function loadSecretKey(options: {
  dataDir: string;
  envKey?: string;
  logger?: KeyWarningSink;
}): LoadedKey {
  const envKey = options.envKey ?? process.env[SECRET_KEY_ENV];
  if (envKey !== undefined && envKey.trim() !== "") {
    const key = decodeKey(envKey);
    if (key === null) throw new Error(`${SECRET_KEY_ENV} must be the base64 encoding of exactly 32 bytes`);
    return { key, source: "env" };
  }
  const path = join(options.dataDir, SECRET_KEY_FILE_NAME);
  const created = createKeyFileIfMissing(options.dataDir, path);
  const key = readKeyFile(path, options.logger);
  return { key, source: created ? "new-file" : "file", path };
}

/**
 * Creates the key file atomically: the key is written and synced under a temporary name (opened with
 * O_EXCL, mode 0600), then hard-linked to its final name, which fails if another process got there
 * first. So a reader never sees a half-written file, and two processes starting at once share one key.
 */
function createKeyFileIfMissing(dataDir: string, path: string): boolean {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (existsSync(path)) return false;
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  const fd = openSync(temporary, "wx", 0o600);
  try {
    try {
      fchmodSync(fd, 0o600);
      writeSync(fd, `${randomBytes(SECRET_KEY_BYTES).toString("base64")}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    linkSync(temporary, path);
    syncDirectory(dataDir);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
}

function syncDirectory(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Accepts base64 text (what we write, and what the env variable takes) or 32 raw bytes. */
function readKeyFile(path: string, logger?: KeyWarningSink): Buffer {
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    const message = `${path} is readable by others (mode ${mode.toString(8)}); run chmod 600 on it`;
    if (logger) logger.warn({ path, mode: mode.toString(8) }, message);
    else process.emitWarning(message);
  }
  const content = readFileSync(path);
  if (content.length === SECRET_KEY_BYTES) return content;
  const key = decodeKey(content.toString("latin1"));
  if (key === null) {
    throw new Error(`${path} does not hold a 32-byte key (base64 text or raw bytes); refusing to use it`);
  }
  return key;
}
