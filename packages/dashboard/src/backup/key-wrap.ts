// Wraps the 32-byte secret key under a passphrase: scrypt derives a key-encryption key, AES-256-GCM
// encrypts (and authenticates) the secret key with it. A wrong passphrase fails the GCM tag check.
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from "node:crypto";
import { type BackupKey, BackupPassphraseError } from "./format.js";

/** scrypt cost: 2^15 × 8 × 128 B = 32 MiB and ~100 ms, once per backup or restore. */
const SCRYPT = { n: 2 ** 15, r: 8, p: 1 } as const;
const MAX_MEMORY = 64 * 1024 * 1024;

function deriveKey(passphrase: string, salt: Buffer, cost: { n: number; r: number; p: number }): Buffer {
  return scryptSync(passphrase.normalize("NFC"), salt, 32, {
    N: cost.n,
    r: cost.r,
    p: cost.p,
    maxmem: MAX_MEMORY,
  });
}

export function wrapKey(key: Buffer, passphrase: string | null): BackupKey {
  if (passphrase === null) return { kind: "clear", key: key.toString("base64") };
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", deriveKey(passphrase, salt, SCRYPT), iv);
  const data = Buffer.concat([cipher.update(key), cipher.final()]);
  return {
    kind: "passphrase",
    kdf: "scrypt",
    ...SCRYPT,
    salt: salt.toString("base64"),
    iv: iv.toString("base64"),
    tag: cipher.getAuthTag().toString("base64"),
    data: data.toString("base64"),
  };
}

/** The secret key; throws BackupPassphraseError for a missing or wrong passphrase. */
export function unwrapKey(wrapped: BackupKey, passphrase: string | null): Buffer {
  if (wrapped.kind === "clear") return Buffer.from(wrapped.key, "base64");
  if (passphrase === null) {
    throw new BackupPassphraseError("the backup is encrypted: give its passphrase with --passphrase-file");
  }
  if (wrapped.n > 2 ** 20 || wrapped.r * wrapped.n * 128 > MAX_MEMORY) {
    throw new BackupPassphraseError("the backup's scrypt parameters are out of range");
  }
  try {
    const decipher = createDecipheriv(
      "aes-256-gcm",
      deriveKey(passphrase, Buffer.from(wrapped.salt, "base64"), wrapped),
      Buffer.from(wrapped.iv, "base64"),
    );
    decipher.setAuthTag(Buffer.from(wrapped.tag, "base64"));
    return Buffer.concat([decipher.update(Buffer.from(wrapped.data, "base64")), decipher.final()]);
  } catch {
    throw new BackupPassphraseError("wrong passphrase: it does not open this backup's secret key");
  }
}
