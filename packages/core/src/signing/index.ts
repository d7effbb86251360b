// Request signing for the agent protocol (HMAC-SHA256 over a canonical form of the request: canonical.ts).
export * from "./canonical.js";
export * from "./headers.js";
export * from "./key-id.js";
export * from "./nonce-cache.js";
export * from "./sign.js";
export * from "./signature-error.js";
export * from "./verify.js";
