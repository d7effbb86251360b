export * from "./apikey.mapper.js";
export * from "./apikey.service.js";
export * from "./apikey-format.js";
