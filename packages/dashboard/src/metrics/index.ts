export * from "./metrics-listener.js";
export * from "./registry.js";
