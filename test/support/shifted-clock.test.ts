// The test clock in a real child process: `node --import tsx --import shifted-clock.ts` answers the
// real time plus the file's offset, follows a rewrite of the file, and is untouched without the env.
import { execFile, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  READ_INTERVAL_MS,
  SHIFTED_CLOCK_MODULE,
  TEST_CLOCK_FILE_ENV,
  writeClockOffset,
} from "./shifted-clock.js";

const run = promisify(execFile);
const DAY = 86_400_000;

// Prints Date.now() minus the real time (the Date constructor is not patched), then waits for a line
// on stdin (the parent has rewritten the file by then), lets READ_INTERVAL_MS pass and prints it again.
const PROBE = `
const skew = () => Date.now() - new Date().getTime();
const first = skew();
process.stdout.write(JSON.stringify({ first }) + "\\n");
await new Promise((resolve) => process.stdin.once("data", resolve));
await new Promise((resolve) => setTimeout(resolve, ${READ_INTERVAL_MS * 2}));
process.stdout.write(JSON.stringify({ second: skew() }) + "\\n");
process.exit(0);
`;

describe("shifted clock", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "wgfleet-clock-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("adds the file's offset to Date.now and follows a rewrite", async () => {
    const file = join(dir, "offset");
    await writeClockOffset(file, 3 * DAY);
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--import", SHIFTED_CLOCK_MODULE, "--input-type=module", "-e", PROBE],
      { env: { ...process.env, [TEST_CLOCK_FILE_ENV]: file }, stdio: ["pipe", "pipe", "inherit"] },
    );
    const lines: Array<Record<string, number>> = [];
    let buffer = "";
    const done = new Promise<void>((resolve, reject) => {
      child.on("error", reject);
      child.on("exit", () => resolve());
    });
    child.stdout.on("data", async (chunk: Buffer) => {
      buffer += chunk.toString();
      while (buffer.includes("\n")) {
        const index = buffer.indexOf("\n");
        lines.push(JSON.parse(buffer.slice(0, index)));
        buffer = buffer.slice(index + 1);
        if (lines.length === 1) {
          await writeClockOffset(file, -2 * DAY);
          child.stdin.write("go\n");
        }
      }
    });
    await done;
    expect(Math.abs((lines[0]?.first ?? 0) - 3 * DAY)).toBeLessThan(1_000);
    expect(Math.abs((lines[1]?.second ?? 0) + 2 * DAY)).toBeLessThan(1_000);
  });

  it("leaves Date.now alone without the environment variable", async () => {
    const env = { ...process.env };
    delete env[TEST_CLOCK_FILE_ENV];
    const { stdout } = await run(
      process.execPath,
      [
        "--import",
        "tsx",
        "--import",
        SHIFTED_CLOCK_MODULE,
        "--input-type=module",
        "-e",
        "process.stdout.write(String(Date.now() - new Date().getTime()))",
      ],
      { env },
    );
    expect(Math.abs(Number(stdout))).toBeLessThan(1_000);
  });
});
