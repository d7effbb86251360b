export * from "./node-settings.js";
export * from "./settings.js";
export * from "./sign-in-settings.js";
export * from "./stats-settings.js";
