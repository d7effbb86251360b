// The time the node's access rules are judged by. Injected so tests move it; Date.now by default.

/** ms since the epoch. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();
