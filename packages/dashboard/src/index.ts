// @wgfleet/dashboard: the server as a library — the composition root, the app builder, the context
// and the CLI entry — for the bin, the end-to-end tests and the benches.
export { main } from "./cli/main.js";
export { resolveSettings, type Settings } from "./config/settings.js";
export { buildApp, type RouteEntry, registeredRoutes } from "./http/app.js";
export type { AppConfig, AppContext, AppServices } from "./http/context.js";
export type { AreaPlugin, TypedApp } from "./http/types.js";
export { createLogger, type Logger } from "./logging/logger.js";
export { MetricsRegistry } from "./metrics/registry.js";
export { type RunningServer, startServer, VERSION } from "./server.js";
export { createAppContext, startBackgroundJobs } from "./services.js";
