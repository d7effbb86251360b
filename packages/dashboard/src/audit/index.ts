// The audit trail.
export * from "./audit.service.js";
