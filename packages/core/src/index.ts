// @wgfleet/core: pure domain code shared by the driver, the agent, the dashboard and the web app.
// No I/O here: no files, no processes, no network.
export * from "./errors.js";
export * from "./protocol/v1.js";
