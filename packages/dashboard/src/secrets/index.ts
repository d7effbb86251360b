// Secrets at rest: the key, the box that encrypts with it, and the start-up check of the key.
export * from "./key-check.js";
export * from "./key-source.js";
export * from "./secret-box.js";
