export * from "./actor.js";
export * from "./authenticator.js";
export * from "./login.service.js";
export * from "./login-rate-limiter.js";
export * from "./password.js";
export * from "./session.service.js";
export * from "./tokens.js";
