// Node selection: which node gets a new peer, and why the others did not.
export * from "./explain-selection.js";
export * from "./node-candidate.js";
export * from "./rank-candidates.js";
export * from "./select-node.js";
