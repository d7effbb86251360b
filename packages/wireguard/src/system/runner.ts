// One place that binds runCommand to a driver's namespace, timeout and logger, so every `wg` / `ip`
// call of the driver goes the same way (argument arrays only, logged without secrets). A failure the
// caller expects and handles (a probe: "does the link exist?", "does the kernel know wireguard?") is
// logged at debug; every other failure at warn.
import { describeCommand } from "../errors.js";
import type { Logger } from "../logger.js";
import { type CommandOptions, type CommandResult, runCommand } from "../run-command.js";

export interface RunOptions extends Omit<CommandOptions, "netns"> {
  /** True for a failure the caller expects and handles as an answer: logged at debug, not warn. */
  expectedFailure?: (error: unknown) => boolean;
}

export type Runner = (
  command: string,
  args: readonly string[],
  options?: RunOptions,
) => Promise<CommandResult>;

export function createRunner(netns: string | undefined, logger: Logger, timeoutMs?: number): Runner {
  return async (command, args, options = {}) => {
    const { expectedFailure, ...commandOptions } = options;
    const started = Date.now();
    try {
      const result = await runCommand(command, args, { timeoutMs, ...commandOptions, netns });
      logger.debug({ command: describeCommand(command, args), ms: Date.now() - started, netns }, "ran");
      return result;
    } catch (error) {
      const entry = { command: describeCommand(command, args), netns, err: String(error) };
      if (expectedFailure?.(error)) logger.debug(entry, "command failed as expected");
      else logger.warn(entry, "command failed");
      throw error;
    }
  };
}
