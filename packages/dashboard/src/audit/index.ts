// The audit trail.
export * from "./audit.service.js";
export * from "./audit-changes.js";
export * from "./audit-scope.js";
