// Encrypts secrets at rest (private keys, preshared keys, node secrets, TOTP seeds) with AES-256-GCM.
// Output: "v1:" + base64(iv[12] | tag[16] | ciphertext). A fresh random IV per message. Never logs,
// and never puts a plaintext, a ciphertext or the key into an error message.
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import { verifyKey } from "./key-check.js";
import { type KeyWarningSink, type LoadedKey, loadSecretKey, SECRET_KEY_BYTES } from "./key-source.js";

const VERSION_PREFIX = "v1:";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const CHECK_LABEL = "wgfleet secret key check v1";

/** A stored secret could not be decrypted: wrong key, or the text was altered or truncated. */
export class SecretDecryptionError extends Error {
  constructor(reason: string) {
    super(`cannot decrypt a stored secret: ${reason}`);
    this.name = "SecretDecryptionError";
  }
}

export class SecretBox {
  readonly #key: Buffer;
  /** Where the key came from: "env", "file" (an existing key file) or "new-file" (created now). */
  readonly source: LoadedKey["source"] | "given";
  /** The key file, when the key came from one. */
  readonly keyPath: string | undefined;

  private constructor(key: Buffer, source: SecretBox["source"], keyPath?: string) {
    if (key.length !== SECRET_KEY_BYTES) throw new Error("the secret key must be 32 bytes");
    this.#key = Buffer.from(key);
    this.source = source;
    this.keyPath = keyPath;
  }

  /**
   * The key from `envKey` (default: env WGFLEET_SECRET_KEY; empty means unset), else from
   * `<dataDir>/secret.key`, created with mode 0600 when missing. Throws on a malformed key; warns
   * (logger, else process warning) when the key file's mode is wider than 0600.
   */
  static async open(options: {
    dataDir: string;
    envKey?: string;
    logger?: KeyWarningSink;
  }): Promise<SecretBox> {
    const loaded = loadSecretKey(options);
    return new SecretBox(loaded.key, loaded.source, loaded.path);
  }

  /** A box over a key you already hold (tests, key rotation tools). */
  static fromKey(key: Uint8Array): SecretBox {
    return new SecretBox(Buffer.from(key), "given");
  }

  encrypt(plain: string): string {
    return this.encryptWithIv(plain, randomBytes(IV_BYTES));
  }

  /**
   * Each text encrypted with a fresh IV of its own, all IVs from ONE draw of random bytes (a draw costs
   * tens of microseconds however small; a bulk creation encrypts thousands of keys). Null stays null.
   */
  encryptMany(plains: ReadonlyArray<string | null>): Array<string | null> {
    const ivs = randomBytes(plains.length * IV_BYTES);
    return plains.map((plain, i) =>
      plain === null ? null : this.encryptWithIv(plain, ivs.subarray(i * IV_BYTES, (i + 1) * IV_BYTES)),
    );
  }

  private encryptWithIv(plain: string, iv: Buffer): string {
    const cipher = createCipheriv("aes-256-gcm", this.#key, iv);
    const ciphertext = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    const tag = cipher.getAuthTag();
    return VERSION_PREFIX + Buffer.concat([iv, tag, ciphertext]).toString("base64");
  }

  /** Throws SecretDecryptionError on a wrong key or altered text. */
  decrypt(enc: string): string {
    if (!enc.startsWith(VERSION_PREFIX)) throw new SecretDecryptionError("unknown format");
    const packed = Buffer.from(enc.slice(VERSION_PREFIX.length), "base64");
    if (packed.length < IV_BYTES + TAG_BYTES) throw new SecretDecryptionError("too short");
    const iv = packed.subarray(0, IV_BYTES);
    const tag = packed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
    const ciphertext = packed.subarray(IV_BYTES + TAG_BYTES);
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.#key, iv, { authTagLength: TAG_BYTES });
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8");
    } catch {
      throw new SecretDecryptionError("wrong key or altered data");
    }
  }

  /** A value that identifies the key without revealing it: HMAC-SHA256(key, label), hex. */
  keyCheckValue(): string {
    return createHmac("sha256", this.#key).update(CHECK_LABEL).digest("hex");
  }

  /** Constant-time comparison of a stored check value with this key's. */
  matchesCheckValue(stored: string): boolean {
    const mine = Buffer.from(this.keyCheckValue(), "utf8");
    const theirs = Buffer.from(stored, "utf8");
    return mine.length === theirs.length && timingSafeEqual(mine, theirs);
  }

  /** Refuses (throws) when this database's secrets were encrypted with another key. See key-check.ts. */
  async verifyKey(db: Kysely<Database>): Promise<void> {
    await verifyKey(db, this);
  }

  /** Keeps the key out of console.log / util.inspect / JSON. */
  toJSON(): object {
    return { source: this.source };
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `SecretBox { source: ${this.source} }`;
  }
}
