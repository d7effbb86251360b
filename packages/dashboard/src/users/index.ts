export * from "./first-admin.js";
export * from "./user.mapper.js";
export * from "./user.service.js";
export * from "./username.js";
