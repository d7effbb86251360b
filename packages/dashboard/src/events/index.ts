// Domain events: the typed union and the bus publishers and subscribers share.
export * from "./domain-events.js";
export * from "./event-bus.js";
