// Property tests: every textual form of an address parses to its value, canonical text is a fixed
// point, and contains/overlaps agree with each other and with Node's own BlockList and URL parser.
import { BlockList } from "node:net";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatAddress, type IpAddress, type IpVersion, parseAddress } from "./address.js";
import {
  type Cidr,
  cidrContains,
  cidrOverlaps,
  cidrSize,
  firstUsable,
  formatCidr,
  lastAddressOf,
  lastUsable,
  networkOf,
  parseCidr,
} from "./cidr.js";

const runs = { numRuns: 500 };

const v4Value = fc.bigInt({ min: 0n, max: (1n << 32n) - 1n });
const v6Value = fc.oneof(
  fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }),
  // values with zero runs, so "::" placement gets exercised
  fc
    .array(fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff })), {
      minLength: 8,
      maxLength: 8,
    })
    .map((words) => words.reduce((acc, w) => (acc << 16n) | BigInt(w), 0n)),
  fc.bigInt({ min: 0n, max: 0xffffffffn }).map((v4) => (0xffffn << 32n) | v4),
);
const address: fc.Arbitrary<IpAddress> = fc.oneof(
  v4Value.map((value) => ({ version: 4 as IpVersion, value })),
  v6Value.map((value) => ({ version: 6 as IpVersion, value })),
);
const cidr: fc.Arbitrary<Cidr> = address.chain((a) =>
  fc.integer({ min: 0, max: a.version === 4 ? 32 : 128 }).map((prefix) => ({ address: a, prefix })),
);

/** A random non-canonical spelling of an IPv6 value: any zero run compressed (or none), random case
 *  and padding, and an embedded IPv4 tail sometimes. */
const v6Spelling = v6Value.chain((value) =>
  fc
    .record({
      compressAt: fc.integer({ min: -1, max: 7 }),
      upper: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
      pad: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 8, maxLength: 8 }),
      dotted: fc.boolean(),
    })
    .map(({ compressAt, upper, pad, dotted }) => ({
      value,
      text: spellV6(value, compressAt, upper, pad, dotted),
    })),
);

function spellV6(
  value: bigint,
  compressAt: number,
  upper: boolean[],
  pad: number[],
  dotted: boolean,
): string {
  const words = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  let groups = words.map((w, i) => {
    const hex = w.toString(16).padStart(Math.min(4, w.toString(16).length + (pad[i] ?? 0)), "0");
    return upper[i] ? hex.toUpperCase() : hex;
  });
  if (dotted) {
    const tail = `${words[6]! >> 8}.${words[6]! & 255}.${words[7]! >> 8}.${words[7]! & 255}`;
    groups = [...groups.slice(0, 6), tail];
  }
  const wordAt = (i: number) => (dotted && i >= 6 ? -1 : words[i]);
  if (compressAt < 0 || wordAt(compressAt) !== 0) return groups.join(":");
  let end = compressAt;
  while (end < groups.length && wordAt(end) === 0) end++;
  return `${groups.slice(0, compressAt).join(":")}::${groups.slice(end).join(":")}`;
}

function inBlock(c: Cidr, offset: bigint): IpAddress {
  const network = networkOf(c).address;
  return { version: network.version, value: network.value + (offset % cidrSize(c)) };
}

describe("address text properties", () => {
  it("format is a fixed point: parse(format(a)) = a and format(parse(format(a))) = format(a)", () => {
    fc.assert(
      fc.property(address, (a) => {
        const text = formatAddress(a);
        expect(parseAddress(text)).toEqual(a);
        expect(formatAddress(parseAddress(text))).toBe(text);
      }),
      runs,
    );
  });

  it("every spelling of an IPv6 address parses to its value", () => {
    fc.assert(
      fc.property(v6Spelling, ({ value, text }) => {
        expect(parseAddress(text)).toEqual({ version: 6, value });
      }),
      runs,
    );
  });

  it("canonical IPv6 text equals the WHATWG URL serialisation (outside ::ffff:0:0/96)", () => {
    fc.assert(
      fc.property(v6Value, (value) => {
        fc.pre(value >> 32n !== 0xffffn);
        const text = formatAddress({ version: 6, value });
        expect(new URL(`http://[${text}]/`).hostname).toBe(`[${text}]`);
      }),
      runs,
    );
  });

  it("canonical text is lowercase, never has leading zeros in a group or a lone compressed zero", () => {
    fc.assert(
      fc.property(v6Value, (value) => {
        const text = formatAddress({ version: 6, value });
        expect(text).toBe(text.toLowerCase());
        expect(text).not.toMatch(/(^|:)0[0-9a-f]/);
        if (text.includes("::")) expect(text.split(":").filter((g) => g !== "").length).toBeLessThan(7);
      }),
      runs,
    );
  });
});

describe("CIDR properties", () => {
  it("round trip: parse(format(c)) = c, format stable", () => {
    fc.assert(
      fc.property(cidr, (c) => {
        const text = formatCidr(c);
        expect(parseCidr(text)).toEqual(c);
        expect(formatCidr(parseCidr(text))).toBe(text);
      }),
      runs,
    );
  });

  it("a block contains exactly its addresses (checked against node:net BlockList)", () => {
    fc.assert(
      fc.property(cidr, address, (c, a) => {
        const list = new BlockList();
        const type = c.address.version === 4 ? "ipv4" : "ipv6";
        list.addSubnet(formatAddress(networkOf(c).address), c.prefix, type);
        const expected = a.version === c.address.version && list.check(formatAddress(a), type);
        expect(cidrContains(c, a)).toBe(expected);
      }),
      runs,
    );
  });

  it("contains every address from network to last, none just outside", () => {
    fc.assert(
      fc.property(cidr, fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), (c, offset) => {
        expect(cidrContains(c, inBlock(c, offset))).toBe(true);
        expect(cidrContains(c, firstUsable(c))).toBe(true);
        expect(cidrContains(c, lastUsable(c))).toBe(true);
        const last = lastAddressOf(c);
        expect(last.value - networkOf(c).address.value + 1n).toBe(cidrSize(c));
        const max = (1n << BigInt(c.address.version === 4 ? 32 : 128)) - 1n;
        if (last.value < max) expect(cidrContains(c, { ...last, value: last.value + 1n })).toBe(false);
        if (networkOf(c).address.value > 0n) {
          expect(cidrContains(c, { ...last, value: networkOf(c).address.value - 1n })).toBe(false);
        }
      }),
      runs,
    );
  });

  it("overlaps is symmetric and agrees with contains", () => {
    // nearby blocks, so that overlaps happen often
    const pair = cidr.chain((a) =>
      fc.record({
        a: fc.constant(a),
        b: fc.record({
          delta: fc.bigInt({ min: -4096n, max: 4096n }),
          prefix: fc.integer({ min: 0, max: a.address.version === 4 ? 32 : 128 }),
        }),
      }),
    );
    fc.assert(
      fc.property(pair, fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), ({ a, b: spec }, offset) => {
        const max = (1n << BigInt(a.address.version === 4 ? 32 : 128)) - 1n;
        const value = a.address.value + spec.delta;
        fc.pre(value >= 0n && value <= max);
        const b: Cidr = { address: { version: a.address.version, value }, prefix: spec.prefix };
        const overlaps = cidrOverlaps(a, b);
        expect(cidrOverlaps(b, a)).toBe(overlaps);
        expect(overlaps).toBe(cidrContains(a, networkOf(b).address) || cidrContains(b, networkOf(a).address));
        const [wide, narrow] = a.prefix <= b.prefix ? [a, b] : [b, a];
        // any address of the narrower block is in the wider one exactly when they overlap
        expect(cidrContains(wide, inBlock(narrow, offset))).toBe(overlaps);
      }),
      runs,
    );
  });

  it("different versions never overlap or contain each other", () => {
    fc.assert(
      fc.property(cidr, cidr, (a, b) => {
        fc.pre(a.address.version !== b.address.version);
        expect(cidrOverlaps(a, b)).toBe(false);
        expect(cidrContains(a, b.address)).toBe(false);
      }),
      runs,
    );
  });
});
