// How full an address pool is, in words that fit a card. The API sends pool sizes as JSON numbers,
// exact only up to 2^53: an IPv6 /64 (2^64 − 2 addresses) arrives rounded, and its digits
// ("18,446,744,073,709,552,000") are both wrong and too wide for a phone. The exact size follows from
// the CIDR, so big pools are counted with BigInt from their prefix and written as a power of two.
import type { PoolUsage } from "../api/types.js";
import { formatCount, formatPercent } from "./format.js";

/** From this many addresses on, a pool is written as a power of two and has no bar. */
export const HUGE_POOL = 1n << 32n;

/** The pool's host bits ("2001:db8::/64" → 64), or null for text that is not a CIDR. */
export function hostBits(cidr: string): number | null {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(cidr.trim());
  if (!match) return null;
  const width = (match[1] as string).includes(":") ? 128 : 32;
  const prefix = Number(match[2]);
  return prefix <= width ? width - prefix : null;
}

/**
 * The allocatable addresses, exactly. The reported number is exact while it is a safe integer; above
 * that it comes from the prefix, counted as the dashboard counts (PoolAllocator in core): the pool minus
 * the network address and the gateway (IPv6 has no broadcast; IPv4 pools never get this big).
 */
export function poolCapacity(cidr: string, reported: number): bigint {
  if (Number.isSafeInteger(reported) && reported >= 0) return BigInt(reported);
  const bits = hostBits(cidr);
  if (bits !== null && cidr.includes(":")) return (1n << BigInt(bits)) - 2n;
  return Number.isFinite(reported) && reported > 0 ? BigInt(Math.round(reported)) : 0n;
}

/** "2^64" for 2^64 − 2: the power of two the size rounds to (pools are powers of two minus a few). */
export function powerOfTwo(size: bigint): string {
  return `2^${size <= 0n ? 0 : (size + 2n).toString(2).length - 1}`;
}

/** 1234n → "1,234" (group separators without converting to a lossy number). */
export function formatBigCount(value: bigint): string {
  return value.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

export interface PoolFigures {
  /** "5 of 253", or "5 of 2^64" for a huge pool. */
  text: string;
  /** The exact size in digits, for a title. */
  exact: string;
  /** Share in use, 0..1 (exact enough to draw: a huge pool's is never drawn). */
  ratio: number;
  /** Percent text ("<1%", "43%"); "plenty" when the pool cannot run out in practice. */
  percent: string;
  /** Too big for a bar to mean anything. */
  huge: boolean;
}

export function poolFigures(pool: Pick<PoolUsage, "cidr" | "total" | "allocated">): PoolFigures {
  const total = poolCapacity(pool.cidr, pool.total);
  const allocated = BigInt(Math.max(0, Math.trunc(pool.allocated)));
  const huge = total >= HUGE_POOL;
  // Numbers divide exactly enough while both are safe; a bigger pool's share is scaled in BigInt first.
  const ratio =
    total === 0n
      ? 1
      : total <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(allocated) / Number(total)
        : Number((allocated << 64n) / total) / 2 ** 64;
  return {
    text: `${formatCount(Number(allocated))} of ${huge ? powerOfTwo(total) : formatBigCount(total)}`,
    exact: `${formatBigCount(total)} addresses`,
    ratio: allocated > 0n && ratio === 0 ? Number.MIN_VALUE : ratio,
    percent: huge ? "plenty" : formatPercent(ratio),
    huge,
  };
}
