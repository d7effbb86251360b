// WireGuard key generation and public-key derivation in-process with node:crypto X25519.
// Never spawns `wg genkey`/`wg pubkey`, and never lets a private key reach a log or an error message.
import { createPrivateKey, createPublicKey, randomBytes } from "node:crypto";
import { encodeKey, KEY_BYTES, validateKey } from "./base64-key.js";

/** PKCS#8 DER header of an X25519 private key (RFC 8410); the 32 raw bytes follow it. */
const PKCS8_X25519_PREFIX = Buffer.from("302e020100300506032b656e04220420", "hex");
/** SPKI DER of an X25519 public key is 12 header bytes followed by the 32 raw bytes. */
const SPKI_X25519_HEADER_LENGTH = 12;

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
  const keyObject = createPrivateKey({
    key: Buffer.concat([PKCS8_X25519_PREFIX, raw]),
    format: "der",
    type: "pkcs8",
  });
  const spki = createPublicKey(keyObject).export({ format: "der", type: "spki" });
  return encodeKey(spki.subarray(SPKI_X25519_HEADER_LENGTH));
}

export function generateKeyPair(): { privateKey: string; publicKey: string } {
  const privateKey = generatePrivateKey();
  return { privateKey, publicKey: publicKeyFromPrivate(privateKey) };
}
