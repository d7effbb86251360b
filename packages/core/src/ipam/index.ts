// IP address management: allocation of peer addresses inside one pool.
export * from "./pool-allocator.js";
