// The import rules of `npm run lint:imports` (.dependency-cruiser*.cjs), run by the real dependency-cruiser
// on a small fixture workspace in a temp dir: a clean tree passes, each kind of wrong import is caught.
import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const depcruise = join(repoRoot, "node_modules/dependency-cruiser/bin/dependency-cruise.mjs");
const CONFIGS = [".dependency-cruiser.cjs", ".dependency-cruiser-tests.cjs"];

const TSCONFIG = {
  compilerOptions: {
    module: "NodeNext",
    moduleResolution: "NodeNext",
    baseUrl: ".",
    paths: {
      "@wgfleet/core": ["packages/core/src/index.ts"],
      "@wgfleet/wireguard": ["packages/wireguard/src/index.ts"],
      "@wgfleet/agent": ["packages/agent/src/index.ts"],
      "@wgfleet/agent/client": ["packages/agent/src/client.ts"],
      "@wgfleet/dashboard": ["packages/dashboard/src/index.ts"],
    },
  },
};

/** A workspace that keeps every rule: what each package may import, and one-way folders. */
const CLEAN_TREE: Record<string, string> = {
  "packages/core/src/index.ts": `import { createHash } from "node:crypto";\nexport const digest = (text: string) => createHash("sha256").update(text).digest("hex");\nexport type Peer = { name: string };\n`,
  "packages/wireguard/src/index.ts": `import { execFile } from "node:child_process";\nimport { digest } from "@wgfleet/core";\nexport const run = () => [execFile, digest];\n`,
  "packages/agent/src/index.ts": `import { digest } from "@wgfleet/core";\nimport { run } from "@wgfleet/wireguard";\nexport const agent = () => [digest, run];\n`,
  "packages/agent/src/client.ts": `import { digest } from "@wgfleet/core";\nexport const client = () => digest("x");\n`,
  "packages/dashboard/src/index.ts": `import { client } from "@wgfleet/agent/client";\nimport { run } from "@wgfleet/wireguard";\nimport { listPeers } from "./peers/peer.service.js";\nexport const start = () => [client, run, listPeers];\n`,
  "packages/dashboard/src/peers/peer.service.ts": `import { nodeName } from "../nodes/node.service.js";\nexport const listPeers = () => [nodeName];\n`,
  "packages/dashboard/src/nodes/node.service.ts": `import { digest } from "@wgfleet/core";\nexport const nodeName = digest("node");\n`,
  "packages/dashboard/src/peers/peer.service.test.ts": `import { agent } from "@wgfleet/agent";\nimport { listPeers } from "./peer.service.js";\nexport const used = [agent, listPeers];\n`,
  "packages/web/src/main.ts": `import type { Peer } from "@wgfleet/core";\nexport const peers: Peer[] = [];\n`,
};

/** One file per kind of wrong import, with the rule that must catch it. */
const VIOLATIONS: { rule: string; file: string; source: string }[] = [
  {
    rule: "core-imports-no-node-io",
    file: "packages/core/src/read.ts",
    source: `import { readFileSync } from "node:fs";\nexport const read = readFileSync;\n`,
  },
  {
    rule: "core-imports-no-workspace-package",
    file: "packages/core/src/up.ts",
    source: `import { run } from "@wgfleet/wireguard";\nexport const up = run;\n`,
  },
  {
    rule: "wireguard-imports-core-only",
    file: "packages/wireguard/src/up.ts",
    source: `import { start } from "@wgfleet/dashboard";\nexport const up = start;\n`,
  },
  {
    rule: "no-relative-import-across-packages",
    file: "packages/wireguard/src/sideways.ts",
    source: `import { nodeName } from "../../dashboard/src/nodes/node.service.js";\nexport const sideways = nodeName;\n`,
  },
  {
    rule: "agent-imports-core-and-wireguard-only",
    file: "packages/agent/src/up.ts",
    source: `import { start } from "@wgfleet/dashboard";\nexport const up = start;\n`,
  },
  {
    rule: "dashboard-imports-agent-client-only",
    file: "packages/dashboard/src/agent-internals.ts",
    source: `import { agent } from "@wgfleet/agent";\nexport const internals = agent;\n`,
  },
  {
    rule: "web-imports-core-types-only",
    file: "packages/web/src/digest.ts",
    source: `import { digest } from "@wgfleet/core";\nexport const hash = digest;\n`,
  },
  {
    rule: "no-folder-cycle",
    file: "packages/dashboard/src/nodes/node-peers.ts",
    source: `import { listPeers } from "../peers/peer.service.js";\nexport const nodePeers = listPeers;\n`,
  },
  {
    rule: "no-unresolvable-import",
    file: "packages/agent/src/moved.ts",
    source: `import { gone } from "./no-such-file.js";\nexport const moved = gone;\n`,
  },
];

/** A test helper may import more, but not another package by relative path. */
const TEST_VIOLATION = {
  rule: "no-relative-import-across-packages",
  file: "packages/agent/src/test-support/dashboard-client.ts",
  source: `import { start } from "../../../dashboard/src/index.js";\nexport const dashboard = start;\n`,
};

interface Violation {
  from: string;
  to: string;
  rule: { name: string; severity: string };
}

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "wgfleet-import-rules-"));
  for (const config of CONFIGS) await copyFile(join(repoRoot, config), join(root, config));
  await writeFile(join(root, "tsconfig.json"), JSON.stringify(TSCONFIG));
  await writeFiles(CLEAN_TREE);
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function writeFiles(files: Record<string, string>): Promise<void> {
  for (const [path, source] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), source);
  }
}

/** Runs dependency-cruiser as `npm run lint:imports` does, with one config, and returns its violations. */
async function cruise(config: string): Promise<Violation[]> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [depcruise, "--config", config, "--output-type", "json", "packages"],
    { cwd: root, maxBuffer: 64 * 1024 * 1024 },
  );
  return (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

// Each case runs dependency-cruiser (a few seconds of CPU each), slow on a busy machine.
describe("import rules", { timeout: 240_000 }, () => {
  it("pass on a workspace that keeps them", async () => {
    expect(await cruise(CONFIGS[0]!)).toEqual([]);
    expect(await cruise(CONFIGS[1]!)).toEqual([]);
  });

  it("catch every kind of wrong import in production code", async () => {
    await writeFiles(Object.fromEntries(VIOLATIONS.map(({ file, source }) => [file, source])));
    const violations = await cruise(CONFIGS[0]!);
    for (const { rule, file } of VIOLATIONS) {
      const caught = violations.filter((v) => v.rule.name === rule && v.rule.severity === "error");
      // A folder cycle is reported between folders, every other rule at the file that imports.
      const where = rule === "no-folder-cycle" ? [dirname(file), `${dirname(dirname(file))}/peers`] : [file];
      expect(
        caught.some((v) => where.includes(v.from)),
        `${rule} should catch ${file}`,
      ).toBe(true);
    }
  });

  it("hold tests to the no-relative-path-across-packages rule only", async () => {
    await writeFiles({ [TEST_VIOLATION.file]: TEST_VIOLATION.source });
    expect(await cruise(CONFIGS[0]!)).toEqual([]);
    const violations = await cruise(CONFIGS[1]!);
    expect(violations.map((v) => [v.rule.name, v.from])).toEqual([
      [TEST_VIOLATION.rule, TEST_VIOLATION.file],
    ]);
  });
});
