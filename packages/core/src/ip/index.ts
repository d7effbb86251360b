// Addresses, CIDRs and endpoints: parsing, canonical text and the arithmetic on them.
export * from "./address.js";
export * from "./cidr.js";
export * from "./endpoint.js";
export * from "./endpoint-host.js";
export * from "./interface-endpoint.js";
export * from "./special-purpose.js";
