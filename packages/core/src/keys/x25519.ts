// WireGuard key generation and public-key derivation in-process with node:crypto X25519.
// Never spawns `wg genkey`/`wg pubkey`, and never lets a private key reach a log or an error message.
import { createPrivateKey, randomBytes } from "node:crypto";
import { encodeKey, KEY_BYTES, validateKey } from "./base64-key.js";

/** Clamps 32 random bytes into an X25519 scalar exactly as `wg genkey` does. */
export function clampPrivateKey(bytes: Uint8Array): Uint8Array {
  const clamped = Uint8Array.from(bytes);
  clamped[0] = (clamped[0] ?? 0) & 248;
  clamped[31] = ((clamped[31] ?? 0) & 127) | 64;
  return clamped;
}

export function generatePrivateKey(): string {
  return encodeKey(clampPrivateKey(randomBytes(KEY_BYTES)));
}

/** 32 random bytes, unclamped, as `wg genpsk` prints them. */
export function generatePresharedKey(): string {
  return encodeKey(randomBytes(KEY_BYTES));
}

/** The public key `wg pubkey` prints for this private key. ValidationError("privateKey") on bad input. */
export function publicKeyFromPrivate(privateKey: string): string {
  const raw = Buffer.from(validateKey(privateKey, "privateKey"), "base64");
  return encodeKey(x25519PublicKey(raw));
}

/**
 * X25519 of the base point, through a JWK import of the raw scalar: Node hands the 32 bytes straight
 * to OpenSSL's raw-key constructor (which derives the public half), about 15 times cheaper than
 * decoding a PKCS#8 DER, and no random bytes are drawn. For a private OKP key Node reads only `d`;
 * `x` must be a string, so an empty one stands for "derive it". The tests hold this to RFC 7748's
 * vector and to `wg pubkey`.
 */
function x25519PublicKey(rawPrivate: Uint8Array): Buffer {
  const keyObject = createPrivateKey({
    key: { kty: "OKP", crv: "X25519", d: Buffer.from(rawPrivate).toString("base64url"), x: "" },
    format: "jwk",
  });
  const { x } = keyObject.export({ format: "jwk" });
  if (typeof x !== "string") throw new Error("X25519 public key derivation failed");
  return Buffer.from(x, "base64url");
}

export function generateKeyPair(): { privateKey: string; publicKey: string } {
  const raw = clampPrivateKey(randomBytes(KEY_BYTES));
  return { privateKey: encodeKey(raw), publicKey: encodeKey(x25519PublicKey(raw)) };
}

/**
 * `count` key pairs from ONE draw of random bytes: each `randomBytes` call costs tens of microseconds
 * however small, which a bulk creation of 1,000 peers would otherwise pay 1,000 times.
 */
export function generateKeyPairs(count: number): Array<{ privateKey: string; publicKey: string }> {
  const random = randomBytes(count * KEY_BYTES);
  return Array.from({ length: count }, (_, i) => {
    const raw = clampPrivateKey(random.subarray(i * KEY_BYTES, (i + 1) * KEY_BYTES));
    return { privateKey: encodeKey(raw), publicKey: encodeKey(x25519PublicKey(raw)) };
  });
}

/** `count` preshared keys from one draw of random bytes (see generateKeyPairs). */
export function generatePresharedKeys(count: number): string[] {
  const random = randomBytes(count * KEY_BYTES);
  return Array.from({ length: count }, (_, i) =>
    encodeKey(random.subarray(i * KEY_BYTES, (i + 1) * KEY_BYTES)),
  );
}
