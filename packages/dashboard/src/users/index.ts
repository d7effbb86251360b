export * from "./first-admin.js";
export * from "./initial-password-file.js";
export * from "./user.mapper.js";
export * from "./user.service.js";
