import { ValidationError } from "@wgfleet/core";
import { describe, expect, it } from "vitest";
import type { InterfaceRow } from "./interface.repository.js";
import { changesTheNode, previousSettings, settingsChanges } from "./interface-settings.js";

const row = (over: Partial<InterfaceRow> = {}): InterfaceRow =>
  ({
    id: "i1",
    listen_port: 51820,
    endpoint: null,
    dns: null,
    mtu: null,
    ...over,
  }) as InterfaceRow;

describe("settingsChanges", () => {
  it("keeps only what differs; a bare host takes the (new) listen port", () => {
    expect(settingsChanges(row(), { listenPort: 51820, mtu: null })).toEqual({});
    expect(settingsChanges(row(), { endpoint: "vpn.example.com", listenPort: 51000 })).toEqual({
      endpoint: "vpn.example.com:51000",
      listen_port: 51000,
    });
    expect(settingsChanges(row(), { dns: [" 198.51.100.53 "], mtu: 1380 })).toEqual({
      dns: '["198.51.100.53"]',
      mtu: 1380,
    });
  });

  it("a stored endpoint on the old listen port follows a new one; one on another port stays", () => {
    expect(settingsChanges(row({ endpoint: "vpn.example.com:51820" }), { listenPort: 51001 })).toEqual({
      listen_port: 51001,
      endpoint: "vpn.example.com:51001",
    });
    expect(settingsChanges(row({ endpoint: "vpn.example.com:443" }), { listenPort: 51001 })).toEqual({
      listen_port: 51001,
    });
  });

  it("null puts a setting back to its default", () => {
    expect(
      settingsChanges(row({ endpoint: "vpn.example.com:443", dns: "[]", mtu: 1400 }), {
        endpoint: null,
        dns: null,
        mtu: null,
      }),
    ).toEqual({ endpoint: null, dns: null, mtu: null });
  });

  it("refuses a bad endpoint or DNS entry naming the field", () => {
    expect(() => settingsChanges(row(), { endpoint: "vpn_example.com" })).toThrow(ValidationError);
    try {
      settingsChanges(row(), { dns: ["{{ x }}"] });
      expect.unreachable();
    } catch (error) {
      expect((error as ValidationError).field).toBe("dns[0]");
    }
  });

  it("says when the node itself must change, and what to put back", () => {
    expect(changesTheNode({ endpoint: "a.example:1", dns: null })).toBe(false);
    expect(changesTheNode({ mtu: 1400 })).toBe(true);
    expect(previousSettings(row({ mtu: 1420 }), { mtu: 1380, listen_port: 1 })).toEqual({
      mtu: 1420,
      listen_port: 51820,
    });
  });
});
