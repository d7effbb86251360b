// The logger the driver and the controller write to: pino-compatible, so the agent and the dashboard
// pass their own pino instance. Nothing here may ever log a private or preshared key.

export type LogFn = (obj: object, msg?: string) => void;

export interface Logger {
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  debug: LogFn;
}

const ignore: LogFn = () => {};

/** A logger that drops everything: the default when none is given. */
export const silentLogger: Logger = { info: ignore, warn: ignore, error: ignore, debug: ignore };
