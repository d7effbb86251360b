import { describe, expect, it } from "vitest";
import { generateKeyPair } from "../keys/index.js";
import type { InterfaceSpec } from "../protocol/v1.js";
import { interfaceSpecChanged } from "./interface-diff.js";

const PRIVATE = generateKeyPair().privateKey;
const spec = (): InterfaceSpec => ({
  name: "wg0",
  privateKey: PRIVATE,
  listenPort: 51820,
  addresses: ["198.51.100.1/24", "2001:db8::1/64"],
  mtu: 1420,
  hooks: { postUp: ["echo a", "echo b"] },
});

describe("interfaceSpecChanged", () => {
  it("is false for the same meaning in another spelling or order", () => {
    expect(interfaceSpecChanged(spec(), spec())).toBe(false);
    expect(
      interfaceSpecChanged(spec(), { ...spec(), addresses: ["2001:DB8:0::1/64", "198.51.100.1/24"] }),
    ).toBe(false);
    const { hooks: _, ...withoutHooks } = spec();
    expect(interfaceSpecChanged(withoutHooks, { ...withoutHooks, hooks: { preUp: [] } })).toBe(false);
  });

  it.each<[string, Partial<InterfaceSpec>]>([
    ["name", { name: "wg1" }],
    ["private key", { privateKey: generateKeyPair().privateKey }],
    ["listen port", { listenPort: 51821 }],
    ["address prefix", { addresses: ["198.51.100.1/25", "2001:db8::1/64"] }],
    ["address removed", { addresses: ["198.51.100.1/24"] }],
    ["mtu", { mtu: 1380 }],
    ["mtu removed", { mtu: undefined }],
    ["hook order", { hooks: { postUp: ["echo b", "echo a"] } }],
    ["hooks removed", { hooks: undefined }],
  ])("is true when the %s changes", (_name, change) => {
    expect(interfaceSpecChanged(spec(), { ...spec(), ...change })).toBe(true);
  });
});
