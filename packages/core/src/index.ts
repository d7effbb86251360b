// @wgfleet/core: pure domain code shared by the driver, the agent, the dashboard and the web app.
// No I/O here: no files, no processes, no network.

export * from "./access/index.js";
export * from "./api/index.js";
export * from "./config/index.js";
export * from "./errors.js";
export * from "./ip/index.js";
export * from "./ipam/index.js";
export * from "./keys/index.js";
export * from "./lifecycle/index.js";
export * from "./protocol/agent-text.js";
export * from "./protocol/dial-out.js";
export * from "./protocol/digest.js";
export * from "./protocol/v1.js";
export * from "./protocol/validate.js";
export * from "./selection/index.js";
export * from "./signing/index.js";
export * from "./state/index.js";
export * from "./time/index.js";
