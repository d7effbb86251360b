// Peer lifecycle rules the dashboard runs: the periods traffic quotas count in.
export * from "./quota-period.js";
