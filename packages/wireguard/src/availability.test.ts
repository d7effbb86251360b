import { describe, expect, it } from "vitest";
import { cleanupStale, createNamespace } from "../../../test/support/netns.js";
import { missingPrerequisites, wireguardPrerequisites } from "../../../test/support/privileges.js";
import { checkWireGuardAvailable, diagnose, type WireGuardFacts } from "./availability.js";

const usable: WireGuardFacts = {
  wg: true,
  ip: true,
  kernelModule: false,
  tun: true,
  wireguardGo: true,
};

describe("diagnose", () => {
  it.each<[string, Partial<WireGuardFacts>, string | null]>([
    ["everything there", {}, null],
    ["no wg", { wg: false }, "`wg` not found (install wireguard-tools)"],
    ["no ip", { ip: false }, "`ip` not found (install iproute2)"],
    ["no tun, no module", { tun: false }, "no /dev/net/tun and no kernel module"],
    ["no tun but the module", { tun: false, wireguardGo: false, kernelModule: true }, null],
    [
      "no wireguard-go, no module",
      { wireguardGo: false },
      "`wireguard-go` not found and no kernel module (install wireguard-go)",
    ],
  ])("%s", (_name, change, reason) => {
    expect(diagnose({ ...usable, ...change })).toBe(reason);
  });
});

const skip = missingPrerequisites(wireguardPrerequisites());

describe.skipIf(skip)("checkWireGuardAvailable on this machine", () => {
  it("finds WireGuard usable, in a namespace too, and names a namespace that is not", async () => {
    await cleanupStale("wda");
    expect(await checkWireGuardAvailable()).toBeNull();
    const ns = await createNamespace("wda");
    try {
      expect(await checkWireGuardAvailable({ netns: ns.name })).toBeNull();
    } finally {
      await ns.destroy();
    }
    expect(await checkWireGuardAvailable({ netns: ns.name })).toBe(
      `network namespace ${ns.name} is not usable`,
    );
  });
});
