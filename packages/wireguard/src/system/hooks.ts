// PreUp/PostUp/PreDown/PostDown hooks, run only when the driver was built with allowHooks (the agent's
// flag, the dashboard's local mode). Hooks are shell text by nature (wg-quick runs them with bash), so
// this is the one place a shell runs; `%i` becomes the interface name, as in wg-quick.
import type { Runner } from "./runner.js";

export async function runHooks(run: Runner, name: string, commands: readonly string[]): Promise<void> {
  for (const command of commands) {
    await run("bash", ["-c", command.replaceAll("%i", name)], { inheritEnv: true });
  }
}
