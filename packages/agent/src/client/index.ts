// @wgfleet/agent/client: the signed client for the agent's HTTP API, for the dashboard and for tests.
// It depends on core only, never on the agent's server code.
export * from "./agent-client.js";
export * from "./agent-http.js";
export * from "./keep-alive-http.js";
