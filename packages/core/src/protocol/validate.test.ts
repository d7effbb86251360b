import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors.js";
import { generateKeyPair, generatePresharedKey } from "../keys/index.js";
import type { InterfaceState } from "./v1.js";
import {
  validateInterfaceSpec,
  validateInterfaceState,
  validatePeerBatch,
  validatePeerSpec,
} from "./validate.js";

const key = () => generateKeyPair().publicKey;
const [K1, K2, K3, K4] = [key(), key(), key(), key()];
const PRIVATE = generateKeyPair().privateKey;

const iface = () => ({ name: "wg0", privateKey: PRIVATE, listenPort: 51820, addresses: ["198.51.100.1/24"] });
const peer = (publicKey: string, ip: string) => ({ publicKey, allowedIps: [ip] });
const state = (): InterfaceState => ({
  revision: 3,
  interface: iface(),
  peers: [
    peer(K1, "198.51.100.2/32"),
    peer(K2, "198.51.100.3/32"),
    peer(K3, "198.51.100.4/32"),
    peer(K4, "198.51.100.5/32"),
  ],
});

function fieldOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).field;
  }
  return undefined;
}

/** Clones the valid state and breaks it. */
function broken(change: (s: Record<string, any>) => void): unknown {
  const value = structuredClone(state()) as Record<string, any>;
  change(value);
  return value;
}

describe("validatePeerSpec", () => {
  it("normalises keys, CIDRs and the endpoint", () => {
    const psk = generatePresharedKey();
    expect(
      validatePeerSpec({
        publicKey: K1,
        presharedKey: psk,
        allowedIps: ["198.51.100.7", "2001:DB8:0:0::7/128", "203.0.113.9/24"],
        persistentKeepalive: 25,
        endpoint: "[2001:DB8::0:1]:51820",
      }),
    ).toEqual({
      publicKey: K1,
      presharedKey: psk,
      allowedIps: ["198.51.100.7/32", "2001:db8::7/128", "203.0.113.0/24"],
      persistentKeepalive: 25,
      endpoint: "[2001:db8::1]:51820",
    });
  });

  it("accepts a site-to-site peer routing a whole network", () => {
    expect(validatePeerSpec(peer(K1, "203.0.113.0/24")).allowedIps).toEqual(["203.0.113.0/24"]);
  });

  it("returns a copy, not the input", () => {
    const input = peer(K1, "198.51.100.2/32");
    const output = validatePeerSpec(input);
    expect(output).not.toBe(input);
    expect(output.allowedIps).not.toBe(input.allowedIps);
  });

  it.each([
    ["unknown property", { ...peer(K1, "198.51.100.2/32"), name: "x" }, "peer.name"],
    ["missing public key", { allowedIps: [] }, "peer.publicKey"],
    ["short key", { publicKey: "abc=", allowedIps: [] }, "peer.publicKey"],
    ["key outside base64", { publicKey: `${"*".repeat(43)}=`, allowedIps: [] }, "peer.publicKey"],
    ["bad octet", peer(K1, "198.51.100.300/32"), "peer.allowedIps[0]"],
    ["prefix too long", peer(K1, "198.51.100.3/33"), "peer.allowedIps[0]"],
    ["not IP syntax", peer(K1, "example.com"), "peer.allowedIps[0]"],
    ["newline and section", peer(K1, "198.51.100.2/32\n[Peer]"), "peer.allowedIps[0]"],
    ["allowed IP not a string", { publicKey: K1, allowedIps: [7] }, "peer.allowedIps[0]"],
    [
      "duplicate allowed IP",
      { publicKey: K1, allowedIps: ["198.51.100.2/32", "198.51.100.2"] },
      "peer.allowedIps[1]",
    ],
    [
      "keepalive too big",
      { ...peer(K1, "198.51.100.2/32"), persistentKeepalive: 70_000 },
      "peer.persistentKeepalive",
    ],
    [
      "keepalive fractional",
      { ...peer(K1, "198.51.100.2/32"), persistentKeepalive: 2.5 },
      "peer.persistentKeepalive",
    ],
    ["endpoint port 0", { ...peer(K1, "198.51.100.2/32"), endpoint: "198.18.0.1:0" }, "peer.endpoint"],
    [
      "endpoint with newline",
      { ...peer(K1, "198.51.100.2/32"), endpoint: "a.example:1\n[Peer]" },
      "peer.endpoint",
    ],
    ["not an object", "peer", "peer"],
    ["null", null, "peer"],
  ])("rejects %s", (_name, value, field) => {
    expect(fieldOf(() => validatePeerSpec(value))).toBe(field);
  });

  it("uses the caller's field name", () => {
    expect(fieldOf(() => validatePeerSpec(peer(K1, "x"), "body"))).toBe("body.allowedIps[0]");
  });

  it("keeps access rules, days sorted", () => {
    const access = {
      notAfter: 1_800_000_000_000,
      schedule: { timeZone: "Europe/Berlin", windows: [{ days: [5, 1, 3], from: "09:00", to: "24:00" }] },
      budget: { id: "q-1", bytesLeft: 300_000, counting: "rx" as const },
    };
    expect(validatePeerSpec({ ...peer(K1, "198.51.100.2/32"), access }).access).toEqual({
      ...access,
      schedule: { timeZone: "Europe/Berlin", windows: [{ days: [1, 3, 5], from: "09:00", to: "24:00" }] },
    });
  });

  it.each([
    [
      "an unknown time zone",
      { timeZone: "Europe/Atlantis", windows: [{ days: [1], from: "09:00", to: "10:00" }] },
      "peer.access.schedule.timeZone",
    ],
    [
      "an offset for a zone",
      { timeZone: "+01:00", windows: [{ days: [1], from: "09:00", to: "10:00" }] },
      "peer.access.schedule.timeZone",
    ],
    [
      "a window from 24:00",
      {
        timeZone: "UTC",
        windows: [
          { days: [1], from: "09:00", to: "10:00" },
          { days: [2], from: "24:00", to: "01:00" },
        ],
      },
      "peer.access.schedule.windows[1].from",
    ],
    [
      "a time past 24:00",
      { timeZone: "UTC", windows: [{ days: [1], from: "09:00", to: "24:30" }] },
      "peer.access.schedule.windows[0].to",
    ],
    [
      "a day twice",
      { timeZone: "UTC", windows: [{ days: [1, 1], from: "09:00", to: "10:00" }] },
      "peer.access.schedule.windows[0].days",
    ],
    [
      "day 7",
      { timeZone: "UTC", windows: [{ days: [7], from: "09:00", to: "10:00" }] },
      "peer.access.schedule.windows[0].days[0]",
    ],
  ])("rejects a schedule with %s, naming the field", (_name, schedule, field) => {
    expect(fieldOf(() => validatePeerSpec({ ...peer(K1, "198.51.100.2/32"), access: { schedule } }))).toBe(
      field,
    );
  });

  it("never echoes a bad preshared key", () => {
    const secret = `${"A".repeat(42)}*=`;
    try {
      validatePeerSpec({ publicKey: K1, presharedKey: secret, allowedIps: [] });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).not.toContain(secret);
    }
  });
});

describe("validateInterfaceSpec", () => {
  it("keeps host bits of interface addresses and makes them canonical", () => {
    const spec = validateInterfaceSpec({
      ...iface(),
      addresses: ["198.51.100.1/24", "2001:DB8::1/64"],
      mtu: 1420,
    });
    expect(spec.addresses).toEqual(["198.51.100.1/24", "2001:db8::1/64"]);
    expect(spec.mtu).toBe(1420);
  });

  it("accepts single-address blocks and one-line hooks", () => {
    const spec = validateInterfaceSpec({
      ...iface(),
      addresses: ["198.51.100.0/32", "198.51.100.4/31"],
      hooks: { postUp: ["iptables -A FORWARD -i %i -j ACCEPT"] },
    });
    expect(spec.hooks).toEqual({ postUp: ["iptables -A FORWARD -i %i -j ACCEPT"] });
  });

  it.each([
    ["network address", { ...iface(), addresses: ["198.51.100.0/24"] }, "interface.addresses[0]"],
    ["v6 network address", { ...iface(), addresses: ["2001:db8::/64"] }, "interface.addresses[0]"],
    ["broadcast address", { ...iface(), addresses: ["198.51.100.255/24"] }, "interface.addresses[0]"],
    [
      "same address twice",
      { ...iface(), addresses: ["198.51.100.1/24", "198.51.100.1/25"] },
      "interface.addresses[1]",
    ],
    ["no address", { ...iface(), addresses: [] }, "interface.addresses"],
    ["bad address", { ...iface(), addresses: ["198.51.100.1/24", "nope"] }, "interface.addresses[1]"],
    ["name with a slash", { ...iface(), name: "wg/0" }, "interface.name"],
    ["name too long", { ...iface(), name: "a".repeat(16) }, "interface.name"],
    // The dashboard's rule too: one rule, so a name the dashboard accepts is one every agent accepts.
    ["name '.'", { ...iface(), name: "." }, "interface.name"],
    ["name '..'", { ...iface(), name: ".." }, "interface.name"],
    ["name starting with '-'", { ...iface(), name: "-wg0" }, "interface.name"],
    ["port 0", { ...iface(), listenPort: 0 }, "interface.listenPort"],
    ["mtu too small", { ...iface(), mtu: 576 }, "interface.mtu"],
    ["bad private key", { ...iface(), privateKey: "x" }, "interface.privateKey"],
    [
      "hook with newline",
      { ...iface(), hooks: { postUp: ["true", "echo a\nrm -rf /"] } },
      "interface.hooks.postUp[1]",
    ],
    ["hook with NUL", { ...iface(), hooks: { preDown: ["echo\0"] } }, "interface.hooks.preDown[0]"],
    ["hook with CR", { ...iface(), hooks: { preUp: ["echo\r"] } }, "interface.hooks.preUp[0]"],
    ["unknown hook", { ...iface(), hooks: { onBoot: ["x"] } }, "interface.hooks.onBoot"],
    ["unknown property", { ...iface(), table: "off" }, "interface.table"],
  ])("rejects %s", (_name, value, field) => {
    expect(fieldOf(() => validateInterfaceSpec(value))).toBe(field);
  });
});

describe("validateInterfaceState", () => {
  it("accepts and returns a normalised copy", () => {
    const input = state();
    input.peers[0] = peer(K1, "198.51.100.2");
    const output = validateInterfaceState(input);
    expect(output.peers[0]?.allowedIps).toEqual(["198.51.100.2/32"]);
    expect(output.revision).toBe(3);
    expect(output.interface).toEqual(iface());
  });

  it.each([
    [
      "deep CIDR error",
      (s: any) => {
        s.peers[3].allowedIps = ["198.51.100.999/32"];
      },
      "peers[3].allowedIps[0]",
    ],
    [
      "deep shape error",
      (s: any) => {
        s.peers[2].allowedIps = ["198.51.100.9/32", 5];
      },
      "peers[2].allowedIps[1]",
    ],
    [
      "deep unknown property",
      (s: any) => {
        s.peers[1].comment = "x";
      },
      "peers[1].comment",
    ],
    [
      "unknown property with a strange name",
      (s: any) => {
        s.peers[1]["a\nb"] = 1;
      },
      'peers[1]["a\\nb"]',
    ],
    [
      "unknown top-level property",
      (s: any) => {
        s.node = "n1";
      },
      "node",
    ],
    [
      "duplicate public key",
      (s: any) => {
        s.peers[2].publicKey = K1;
      },
      "peers[2].publicKey",
    ],
    [
      "allowed IP routed to two peers",
      (s: any) => {
        s.peers[3].allowedIps = ["198.51.100.2/32"];
      },
      "peers[3].allowedIps[0]",
    ],
    [
      "same route in another spelling",
      (s: any) => {
        s.peers[1].allowedIps = ["198.51.100.2"];
      },
      "peers[1].allowedIps[0]",
    ],
    [
      "negative revision",
      (s: any) => {
        s.revision = -1;
      },
      "revision",
    ],
    [
      "missing interface",
      (s: any) => {
        delete s.interface;
      },
      "interface",
    ],
    [
      "interface error",
      (s: any) => {
        s.interface.addresses = ["198.51.100.0/24"];
      },
      "interface.addresses[0]",
    ],
  ])("rejects %s", (_name, change, field) => {
    expect(fieldOf(() => validateInterfaceState(broken(change)))).toBe(field);
  });

  it("names the whole state when it is not an object", () => {
    expect(fieldOf(() => validateInterfaceState([]))).toBe("state");
  });
});

describe("validatePeerBatch", () => {
  it("normalises upserts and de-duplicates removals", () => {
    const batch = validatePeerBatch({ upsert: [peer(K1, "198.51.100.2")], remove: [K2, K2, K3] });
    expect(batch).toEqual({ upsert: [{ publicKey: K1, allowedIps: ["198.51.100.2/32"] }], remove: [K2, K3] });
  });

  it.each([
    ["bad removal key", { upsert: [], remove: [K1, "nope"] }, "remove[1]"],
    ["removed and upserted", { upsert: [peer(K1, "198.51.100.2/32")], remove: [K1] }, "remove[0]"],
    [
      "duplicate upsert",
      { upsert: [peer(K1, "198.51.100.2/32"), peer(K1, "198.51.100.3/32")], remove: [] },
      "upsert[1].publicKey",
    ],
    [
      "shared route",
      { upsert: [peer(K1, "198.51.100.2/32"), peer(K2, "198.51.100.2/32")], remove: [] },
      "upsert[1].allowedIps[0]",
    ],
    ["missing remove", { upsert: [] }, "remove"],
    [
      "deep CIDR",
      { upsert: [peer(K1, "198.51.100.2/32"), peer(K2, "1.2.3/8")], remove: [] },
      "upsert[1].allowedIps[0]",
    ],
  ])("rejects %s", (_name, value, field) => {
    expect(fieldOf(() => validatePeerBatch(value))).toBe(field);
  });
});
