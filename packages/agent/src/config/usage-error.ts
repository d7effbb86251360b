/** A bad flag, env var or config value; main prints its message as one line and exits 2. */
export class UsageError extends Error {}
