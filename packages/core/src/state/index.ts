// Desired-state diffs: state is data, change is the difference of two states.
export * from "./interface-diff.js";
export * from "./live-diff.js";
export * from "./peer-diff.js";
export * from "./peer-equality.js";
