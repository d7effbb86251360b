// WireGuard keys: generation, derivation and validation, all in-process.
export { decodeKey, encodeKey, isValidKey, KEY_BYTES, validateKey } from "./base64-key.js";
export {
  clampPrivateKey,
  generateKeyPair,
  generateKeyPairs,
  generatePresharedKey,
  generatePresharedKeys,
  generatePrivateKey,
  publicKeyFromPrivate,
} from "./x25519.js";
