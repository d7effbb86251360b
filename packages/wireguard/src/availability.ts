// Answers "can this machine run WireGuard right now?" with a reason a person can act on: the tools on
// PATH and /dev/net/tun first, then a real probe — a short-lived test interface created and deleted —
// because only trying tells whether this process may (root, CAP_NET_ADMIN, a writable socket folder).
import { access, constants, stat } from "node:fs/promises";
import { delimiter, join } from "node:path";
import { runCommand } from "./run-command.js";
import { SystemWireGuardDriver } from "./system/system-driver.js";

/** What the static part of the check looks at; `diagnose` turns it into a reason. */
export interface WireGuardFacts {
  wg: boolean;
  ip: boolean;
  kernelModule: boolean;
  tun: boolean;
  wireguardGo: boolean;
}

/** Null when WireGuard is usable; otherwise why not. */
export async function checkWireGuardAvailable(
  options: { netns?: string; runDir?: string } = {},
): Promise<string | null> {
  const reason = diagnose(await gatherFacts());
  if (reason) return reason;
  if (options.netns) {
    try {
      await runCommand("ip", ["netns", "exec", options.netns, "true"], { timeoutMs: 5_000 });
    } catch {
      return `network namespace ${options.netns} is not usable`;
    }
  }
  return new SystemWireGuardDriver(options).probeCapability();
}

export function diagnose(facts: WireGuardFacts): string | null {
  if (!facts.wg) return "`wg` not found (install wireguard-tools)";
  if (!facts.ip) return "`ip` not found (install iproute2)";
  if (facts.kernelModule) return null;
  if (!facts.tun) return "no /dev/net/tun and no kernel module";
  if (!facts.wireguardGo) return "`wireguard-go` not found and no kernel module (install wireguard-go)";
  return null;
}

async function gatherFacts(): Promise<WireGuardFacts> {
  return {
    wg: await onPath("wg"),
    ip: await onPath("ip"),
    kernelModule: await exists("/sys/module/wireguard"),
    tun: await exists("/dev/net/tun"),
    wireguardGo: await onPath("wireguard-go"),
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function onPath(command: string): Promise<boolean> {
  const dirs = (process.env.PATH ?? "").split(delimiter).filter(Boolean);
  for (const dir of [...dirs, "/usr/local/sbin", "/usr/sbin", "/sbin"]) {
    try {
      await access(join(dir, command), constants.X_OK);
      return true;
    } catch {
      // not in this folder
    }
  }
  return false;
}
