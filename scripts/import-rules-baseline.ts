// `npm run lint:imports:baseline`: rewrites .dependency-cruiser-known-violations.json with every import-rule
// violation the tree has now (both runs of `npm run lint:imports`), so lint passes while they are fixed.
// With no violations left it writes [] (or delete the file and the --ignore-known flags in package.json).
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const depcruise = fileURLToPath(
  new URL("../node_modules/dependency-cruiser/bin/dependency-cruise.mjs", import.meta.url),
);
const CONFIGS = [".dependency-cruiser.cjs", ".dependency-cruiser-tests.cjs"];
const BASELINE = ".dependency-cruiser-known-violations.json";

const violations = CONFIGS.flatMap((config) =>
  JSON.parse(
    execFileSync(process.execPath, [depcruise, "--config", config, "--output-type", "baseline", "packages"], {
      cwd: root,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    }),
  ),
);
writeFileSync(`${root}${BASELINE}`, `${JSON.stringify(violations, null, 2)}\n`);
console.log(`${BASELINE}: ${violations.length} known violations`);
