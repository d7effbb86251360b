// Failures of the operating system's WireGuard tooling. They carry the tool's own error text (so the
// agent can answer 5xx with it) and never the secrets that went in through files, stdin or the socket.
import { NodeCallError } from "@wgfleet/core";

/** A command (`wg`, `ip`, `wireguard-go`) exited non-zero, could not start, or timed out. */
export class CommandError extends NodeCallError {
  constructor(
    readonly command: string,
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
    reason: string,
  ) {
    super(`${describeCommand(command, args)}: ${reason}`);
  }
}

/** wireguard-go answered a UAPI request with a non-zero errno, or the socket failed. */
export class UapiError extends NodeCallError {
  constructor(
    readonly interfaceName: string,
    readonly errno: number | null,
    reason: string,
  ) {
    super(`wireguard-go UAPI on ${interfaceName}: ${reason}`);
  }
}

/** "wg set wd0 peer … (12 more arguments)": enough to recognise the call, never a whole peer list. */
export function describeCommand(command: string, args: readonly string[]): string {
  const shown = args.slice(0, 4).join(" ");
  const more = args.length > 4 ? ` … (${args.length - 4} more arguments)` : "";
  return `${command}${shown ? ` ${shown}` : ""}${more}`;
}
