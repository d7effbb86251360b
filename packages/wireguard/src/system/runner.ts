// One place that binds runCommand to a driver's namespace, timeout and logger, so every `wg` / `ip`
// call of the driver goes the same way (argument arrays only, logged without secrets).
import { describeCommand } from "../errors.js";
import type { Logger } from "../logger.js";
import { type CommandOptions, type CommandResult, runCommand } from "../run-command.js";

export type Runner = (
  command: string,
  args: readonly string[],
  options?: Omit<CommandOptions, "netns">,
) => Promise<CommandResult>;

export function createRunner(netns: string | undefined, logger: Logger, timeoutMs?: number): Runner {
  return async (command, args, options = {}) => {
    const started = Date.now();
    try {
      const result = await runCommand(command, args, { timeoutMs, ...options, netns });
      logger.debug({ command: describeCommand(command, args), ms: Date.now() - started, netns }, "ran");
      return result;
    } catch (error) {
      logger.warn({ command: describeCommand(command, args), netns, err: String(error) }, "command failed");
      throw error;
    }
  };
}
