// Tests that need root or WireGuard call this first. On a laptop they skip with the reason; in CI
// (CI=true) a missing prerequisite is a failure, never a silent skip.
import { execFileSync } from "node:child_process";

export interface Prerequisite {
  name: string;
  ok: boolean;
  reason: string;
}

function hasCommand(command: string): boolean {
  try {
    execFileSync("sh", ["-c", 'command -v "$1"', "sh", command], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export function rootPrerequisite(): Prerequisite {
  const ok = typeof process.getuid === "function" && process.getuid() === 0;
  return { name: "root", ok, reason: ok ? "" : "needs root (network namespaces, WireGuard)" };
}

export function commandPrerequisite(command: string): Prerequisite {
  const ok = hasCommand(command);
  return { name: command, ok, reason: ok ? "" : `needs \`${command}\` on PATH` };
}

export function wireguardPrerequisites(): Prerequisite[] {
  return [
    rootPrerequisite(),
    commandPrerequisite("wg"),
    commandPrerequisite("wg-quick"),
    commandPrerequisite("wireguard-go"),
    commandPrerequisite("ip"),
  ];
}

/**
 * Returns a reason to skip, or null when every prerequisite holds. Throws in CI instead of skipping.
 * Use: `const skip = missingPrerequisites(wireguardPrerequisites()); describe.skipIf(skip)(...)`
 * and print the reason once.
 */
export function missingPrerequisites(prerequisites: Prerequisite[]): string | null {
  const missing = prerequisites.filter((p) => !p.ok).map((p) => p.reason);
  if (missing.length === 0) return null;
  const reason = missing.join("; ");
  if (process.env.CI === "true") throw new Error(`CI=true and a test prerequisite is missing: ${reason}`);
  console.warn(`skipping: ${reason}`);
  return reason;
}
