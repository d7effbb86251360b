// `npm run bench -- SUITE... [--json]`: runs suites and prints a table, or one JSON object per line.
import { readdirSync } from "node:fs";
import type { BenchResult, BenchSuite } from "./types.js";

// Each file in suites/ default-exports one BenchSuite; its file name is the suite's name.
const suitesDir = new URL("./suites/", import.meta.url);
const suites: Record<string, () => Promise<BenchSuite>> = Object.fromEntries(
  readdirSync(suitesDir)
    .filter((file) => file.endsWith(".ts"))
    .map((file) => [
      file.slice(0, -3),
      async () => ((await import(new URL(file, suitesDir).href)) as { default: BenchSuite }).default,
    ]),
);

function usage(): string {
  return `usage: npm run bench -- SUITE... [--json]\nsuites: ${Object.keys(suites).join(", ") || "(none)"}`;
}

function formatRow(result: BenchResult): string {
  const { bench, value, unit, target, ...details } = result;
  const extra = Object.entries(details)
    .map(
      ([k, v]) =>
        `${k}=${typeof v === "number" && !Number.isInteger(v) ? Number(v.toPrecision(4)) : String(v)}`,
    )
    .join(" ");
  const shown = Number(value.toPrecision(4));
  return `${bench.padEnd(34)} ${String(shown).padStart(10)} ${unit.padEnd(5)} ${(target ?? "").padEnd(8)} ${extra}`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes("--json");
  const names = args.filter((a) => !a.startsWith("--"));
  if (names.length === 0 || args.includes("--help")) {
    console.log(usage());
    process.exit(names.length === 0 && !args.includes("--help") ? 2 : 0);
  }
  for (const name of names) {
    const load = suites[name];
    if (!load) {
      console.error(`unknown suite "${name}"\n${usage()}`);
      process.exit(2);
    }
  }
  if (!json) console.log(`${"bench".padEnd(34)} ${"value".padStart(10)} unit  target`);
  for (const name of names) {
    const suite = await (suites[name] as () => Promise<BenchSuite>)();
    for await (const result of suite.run()) {
      console.log(json ? JSON.stringify(result) : formatRow(result));
    }
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
