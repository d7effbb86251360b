import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generateKeyPair, generatePresharedKey } from "../keys/index.js";
import { canonicalJson, interfaceForm, peerForm } from "./canonical.js";
import { digestInterfaceState } from "./digest.js";
import type { InterfaceState, PeerSpec } from "./v1.js";

const keys = Array.from({ length: 6 }, () => generateKeyPair().publicKey);
const PRIVATE = generateKeyPair().privateKey;
const PSK = generatePresharedKey();

function base(): InterfaceState {
  return {
    revision: 1,
    interface: {
      name: "wg0",
      privateKey: PRIVATE,
      listenPort: 51820,
      addresses: ["198.51.100.1/24", "2001:db8::1/64"],
      mtu: 1420,
      hooks: { postUp: ["echo up"] },
    },
    peers: keys.slice(0, 4).map(
      (publicKey, index): PeerSpec => ({
        publicKey,
        allowedIps: [`198.51.100.${index + 2}/32`, `2001:db8::${index + 2}/128`],
        persistentKeepalive: 25,
        presharedKey: PSK,
        endpoint: `198.18.0.${index + 1}:51820`,
      }),
    ),
  };
}

describe("digestInterfaceState", () => {
  it("gives the digest agents and dashboards of every version compute (known answer)", () => {
    // Pinned: a dashboard compares this digest with one an agent of another version computed.
    const state = {
      interface: {
        name: "wg0",
        privateKey: "YNqHbfBQKaGvzefSSLXEKqBBRoL8p9YbiESHC4b/BGs=",
        listenPort: 51820,
        addresses: ["2001:db8::1/64", "198.51.100.1/24"],
        mtu: 1420,
        hooks: { postUp: ["echo up"], preDown: [] },
      },
      peers: [
        {
          publicKey: "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=",
          allowedIps: ["2001:db8::3/128", "198.51.100.3"],
          persistentKeepalive: 25,
          endpoint: "198.18.0.2:51820",
          access: {
            notAfter: 5,
            schedule: { timeZone: "UTC", windows: [{ days: [3, 1], from: "09:00", to: "10:00" }] },
          },
        },
        {
          publicKey: "HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=",
          allowedIps: ["198.51.100.2/32"],
          presharedKey: "FpCyhws9cxwWoV4xELtfJvjJN+zQVRPISllRWgeopVE=",
        },
      ],
    } as Pick<InterfaceState, "interface" | "peers">;
    const expected = "eb49b480747a7aa7dfdf4018ee7b8492df0b41f6c1a7e282bedee155f842d952";
    expect(digestInterfaceState(state)).toBe(expected);
    // ... which is the SHA-256 of the whole state's canonical JSON.
    const peers = state.peers.map(peerForm).sort((a, b) => (a.publicKey < b.publicKey ? -1 : 1));
    const whole = canonicalJson({ interface: interfaceForm(state.interface), peers });
    expect(createHash("sha256").update(whole).digest("hex")).toBe(expected);
  });

  it("is sha256 hex and leaves out the revision", () => {
    const digest = digestInterfaceState(base());
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    const later: InterfaceState = { ...base(), revision: 99 };
    expect(digestInterfaceState(later)).toBe(digest);
  });

  it("does not depend on the order of peers, allowed IPs or addresses, nor on spelling", () => {
    const digest = digestInterfaceState(base());
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 4, maxLength: 4 }), fc.boolean(), (order, reverse) => {
        const state = base();
        const peers = state.peers.map((peer, index) => ({ peer, rank: order[index] ?? 0 }));
        state.peers = peers
          .sort((a, b) => a.rank - b.rank)
          .map(({ peer }) => ({
            ...peer,
            allowedIps: reverse ? [...peer.allowedIps].reverse() : peer.allowedIps,
          }));
        if (reverse) state.interface.addresses.reverse();
        expect(digestInterfaceState(state)).toBe(digest);
      }),
    );
    const respelled = base();
    respelled.peers[0] = { ...respelled.peers[0]!, allowedIps: ["198.51.100.2", "2001:DB8:0::2/128"] };
    respelled.interface.addresses = ["2001:0db8::0001/64", "198.51.100.1/24"];
    expect(digestInterfaceState(respelled)).toBe(digest);
  });

  it("covers access rules (days in any order) and leaves states without them as they were", () => {
    const plain = digestInterfaceState(base());
    const withAccess = (days: number[]): InterfaceState => {
      const state = base();
      const first = state.peers[0] as PeerSpec;
      first.access = {
        notAfter: 5,
        schedule: { timeZone: "UTC", windows: [{ days, from: "09:00", to: "10:00" }] },
      };
      return state;
    };
    expect(digestInterfaceState(withAccess([1, 2]))).not.toBe(plain);
    expect(digestInterfaceState(withAccess([2, 1]))).toBe(digestInterfaceState(withAccess([1, 2])));
    // The canonical form of a peer without rules has no access member at all (older agents agree).
    expect(
      digestInterfaceState({ ...base(), peers: base().peers.map((p) => ({ ...p, access: undefined })) }),
    ).toBe(plain);
  });

  it("treats keepalive 0 as no keepalive", () => {
    const zero = base();
    const absent = base();
    zero.peers[0] = { ...zero.peers[0]!, persistentKeepalive: 0 };
    const { persistentKeepalive: _, ...withoutKeepalive } = absent.peers[0]!;
    absent.peers[0] = withoutKeepalive;
    expect(digestInterfaceState(zero)).toBe(digestInterfaceState(absent));
  });

  const changes: Array<[string, (s: InterfaceState) => void]> = [
    [
      "interface name",
      (s) => {
        s.interface.name = "wg1";
      },
    ],
    [
      "private key",
      (s) => {
        s.interface.privateKey = generateKeyPair().privateKey;
      },
    ],
    [
      "listen port",
      (s) => {
        s.interface.listenPort = 51821;
      },
    ],
    [
      "an address",
      (s) => {
        s.interface.addresses[0] = "198.51.100.1/25";
      },
    ],
    [
      "an extra address",
      (s) => {
        s.interface.addresses.push("203.0.113.1/24");
      },
    ],
    [
      "mtu",
      (s) => {
        s.interface.mtu = 1380;
      },
    ],
    [
      "mtu removed",
      (s) => {
        delete s.interface.mtu;
      },
    ],
    [
      "a hook",
      (s) => {
        s.interface.hooks = { postUp: ["echo down"] };
      },
    ],
    [
      "hook order",
      (s) => {
        s.interface.hooks = { postUp: ["b", "a"] };
      },
    ],
    [
      "a hook moved to another phase",
      (s) => {
        s.interface.hooks = { preUp: ["echo up"] };
      },
    ],
    [
      "a peer key",
      (s) => {
        s.peers[0]!.publicKey = keys[5]!;
      },
    ],
    [
      "a peer added",
      (s) => {
        s.peers.push({ publicKey: keys[4]!, allowedIps: ["198.51.100.9/32"] });
      },
    ],
    [
      "a peer removed",
      (s) => {
        s.peers.pop();
      },
    ],
    [
      "an allowed IP",
      (s) => {
        s.peers[1]!.allowedIps[0] = "198.51.100.99/32";
      },
    ],
    [
      "an allowed IP added",
      (s) => {
        s.peers[1]!.allowedIps.push("203.0.113.0/24");
      },
    ],
    [
      "a preshared key",
      (s) => {
        s.peers[2]!.presharedKey = generatePresharedKey();
      },
    ],
    [
      "a preshared key removed",
      (s) => {
        delete s.peers[2]!.presharedKey;
      },
    ],
    [
      "keepalive",
      (s) => {
        s.peers[3]!.persistentKeepalive = 26;
      },
    ],
    [
      "endpoint",
      (s) => {
        s.peers[3]!.endpoint = "198.18.0.9:51820";
      },
    ],
    [
      "endpoint removed",
      (s) => {
        delete s.peers[3]!.endpoint;
      },
    ],
  ];

  it.each(changes)("changes when %s changes", (_name, change) => {
    const state = base();
    change(state);
    expect(digestInterfaceState(state)).not.toBe(digestInterfaceState(base()));
  });

  it("all single changes give distinct digests", () => {
    const digests = changes.map(([, change]) => {
      const state = base();
      change(state);
      return digestInterfaceState(state);
    });
    expect(new Set([...digests, digestInterfaceState(base())]).size).toBe(changes.length + 1);
  });
});
