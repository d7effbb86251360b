// A byte budget typed as an amount and a binary unit ("1.5 GiB"), and back. Computed with BigInt on the
// decimal digits, so 1.1 GiB is 1181116006 bytes, not what a float multiplication rounds to, and a
// budget read from the API shows as the exact amount it is (every fraction of a power of two ends).

export const BYTE_UNITS = ["MiB", "GiB", "TiB"] as const;
export type ByteUnit = (typeof BYTE_UNITS)[number];

const UNIT_BYTES: Record<ByteUnit, bigint> = {
  MiB: 1024n ** 2n,
  GiB: 1024n ** 3n,
  TiB: 1024n ** 4n,
};

/** "1.5" GiB → 1610612736; rounded to the nearest byte. NaN for text that is no positive decimal. */
export function bytesOf(amount: string, unit: ByteUnit): number {
  const text = amount.trim().replace(",", ".");
  const match = /^(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match || text === "" || text === ".") return Number.NaN;
  const whole = match[1] ?? "";
  const fraction = match[2] ?? "";
  const scale = 10n ** BigInt(fraction.length);
  const digits = BigInt(`${whole}${fraction}` || "0");
  const bytes = (digits * UNIT_BYTES[unit] * 2n + scale) / (2n * scale);
  return bytes > BigInt(Number.MAX_SAFE_INTEGER) ? Number.NaN : Number(bytes);
}

/** The exact decimal of `bytes` in `unit`: 1610612736 GiB → "1.5", 1000000 MiB → "0.95367431640625". */
export function amountIn(bytes: number, unit: ByteUnit): string {
  const value = BigInt(bytes);
  const per = UNIT_BYTES[unit];
  const whole = value / per;
  let rest = value % per;
  let fraction = "";
  // A power of two's fractions end after at most as many decimals as its exponent.
  while (rest > 0n) {
    rest *= 10n;
    fraction += String(rest / per);
    rest %= per;
  }
  return fraction ? `${whole}.${fraction}` : String(whole);
}

/** The largest unit the budget fills at least once, with its exact amount (MiB below 1 MiB). */
export function amountOf(bytes: number): { amount: string; unit: ByteUnit } {
  const unit = [...BYTE_UNITS].reverse().find((u) => BigInt(bytes) >= UNIT_BYTES[u]) ?? "MiB";
  return { amount: amountIn(bytes, unit), unit };
}
