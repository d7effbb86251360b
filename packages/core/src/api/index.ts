// The dashboard's HTTP API answers (docs/api-reference.md): one declaration for the dashboard's mappers and route
// schemas and for the web app's client. TypeBox schemas (the OpenAPI document shows them) with their
// Static types; the web imports the types only. Request bodies stay with the dashboard's routes.
export * from "./apikey.js";
export * from "./configuration.js";
export * from "./node.js";
export * from "./peer.js";
export * from "./placement.js";
export * from "./stats.js";
export * from "./timestamp.js";
export * from "./user.js";
