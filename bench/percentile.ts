// Percentiles of latency samples, nearest rank below (no interpolation): p50 of 200 is the 100th.

/** The p-th percentile (0..1) of ascending `sorted`; NaN when empty. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))] ?? Number.NaN;
}
