// The bench harness's one shape: a suite yields named measurements.

export interface BenchResult {
  /** "suite.name", e.g. "ipam.fill_v4_16". */
  bench: string;
  value: number;
  unit: "s" | "ms" | "MB" | "ops/s" | string;
  /** The figure the issue asks for; shown beside the value, never enforced. */
  target?: string;
  [detail: string]: unknown;
}

export interface BenchSuite {
  name: string;
  description: string;
  /** Needs root / WireGuard / a database: the suite says so and checks it itself. */
  run(): AsyncIterable<BenchResult>;
}
