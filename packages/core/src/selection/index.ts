// Node selection: which node gets a new peer.
export * from "./node-candidate.js";
export * from "./select-node.js";
