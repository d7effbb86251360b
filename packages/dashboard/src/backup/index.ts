// Backup and restore of the dashboard's data: a consistent snapshot of every table plus the secret
// key, in a file any engine can be restored from.

export * from "./backup-source.js";
export * from "./backup-writer.js";
export * from "./format.js";
export * from "./restore.js";
export * from "./restore-target.js";
