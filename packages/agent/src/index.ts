// @wgfleet/agent: the node agent's parts, for tests and for embedding. The command is `wgfleet-agent`.
export * from "./agent.js";
export * from "./cli.js";
export * from "./config/options.js";
export * from "./config/secrets.js";
export * from "./logging/logger.js";
export * from "./service/agent-service.js";
export * from "./state/state-store.js";
