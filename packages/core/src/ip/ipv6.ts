// IPv6 text <-> 128-bit value: RFC 4291 text forms in, RFC 5952 canonical text out.
import { ValidationError } from "../errors.js";
import { formatIpv4, readIpv4 } from "./ipv4.js";
import { describeText } from "./text.js";

/** "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255" is the longest valid form. */
const MAX_IPV6_TEXT = 45;
const GROUPS = 8;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

export function parseIpv6(text: string, field: string): bigint {
  const fail = (reason: string): never => {
    throw new ValidationError(field, `${describeText(text)} is not a valid IPv6 address: ${reason}`);
  };
  if (text.length > MAX_IPV6_TEXT) fail("it is too long");
  const halves = text.split("::");
  if (halves.length > 2) fail('"::" may appear only once');
  const compressed = halves.length === 2;
  const head = splitGroups(halves[0] ?? "", fail);
  const tail = compressed ? splitGroups(halves[1] ?? "", fail) : [];
  const words = [...head, ...tail].flatMap((group, index, all) =>
    parseGroup(group, index === all.length - 1 && (tail.length > 0 || !compressed), fail),
  );
  if (!compressed && words.length !== GROUPS) {
    fail(`it has ${words.length} groups of 16 bits, expected 8 (or "::" for a run of zeros)`);
  }
  if (compressed && words.length > GROUPS - 1) fail('"::" must stand for at least one zero group');
  const headWords = words.slice(0, countWords(head));
  const tailWords = words.slice(headWords.length);
  const zeros = new Array<number>(GROUPS - words.length).fill(0);
  return [...headWords, ...zeros, ...tailWords].reduce((acc, word) => (acc << 16n) | BigInt(word), 0n);
}

function splitGroups(part: string, fail: (reason: string) => never): string[] {
  if (part === "") return [];
  const groups = part.split(":");
  if (groups.some((group) => group === "")) fail('it has an empty group (a stray ":")');
  return groups;
}

/** One group as 16-bit words: a hex group is one word; an embedded IPv4 tail is two. */
function parseGroup(group: string, isLast: boolean, fail: (reason: string) => never): number[] {
  if (group.includes(".")) {
    if (!isLast) fail("an embedded IPv4 address may only be the last 32 bits");
    const value = readIpv4(group);
    if (typeof value === "string") return fail(`embedded IPv4 address "${group}": ${value}`);
    return [value >>> 16, value & 0xffff];
  }
  if (!HEX_GROUP.test(group)) fail(`group "${group.slice(0, 8)}" is not 1-4 hexadecimal digits`);
  return [Number.parseInt(group, 16)];
}

function countWords(groups: string[]): number {
  return groups.reduce((n, group) => n + (group.includes(".") ? 2 : 1), 0);
}

/** RFC 5952: lowercase, no leading zeros, the longest run (>= 2) of zero groups as "::", first on ties. */
export function formatIpv6(value: bigint): string {
  const words = toWords(value);
  if (isIpv4Mapped(value)) return `::ffff:${formatIpv4(value & 0xffffffffn)}`;
  const run = longestZeroRun(words);
  const hex = words.map((word) => word.toString(16));
  if (run.length < 2) return hex.join(":");
  return `${hex.slice(0, run.start).join(":")}::${hex.slice(run.start + run.length).join(":")}`;
}

/** ::ffff:0:0/96 is written with its IPv4 tail (RFC 5952 section 5), as inet_ntop and `wg` print it. */
function isIpv4Mapped(value: bigint): boolean {
  return value >> 32n === 0xffffn;
}

function toWords(value: bigint): number[] {
  const words: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) words.push(Number((value >> shift) & 0xffffn));
  return words;
}

function longestZeroRun(words: number[]): { start: number; length: number } {
  let best = { start: -1, length: 0 };
  let start = -1;
  for (let i = 0; i <= words.length; i++) {
    if (i < words.length && words[i] === 0) {
      if (start === -1) start = i;
      continue;
    }
    if (start !== -1 && i - start > best.length) best = { start, length: i - start };
    start = -1;
  }
  return best;
}
