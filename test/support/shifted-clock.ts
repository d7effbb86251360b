// Test-only clock, loaded into an agent or dashboard process with `node --import tsx --import <this
// file>` (the fleet harness's DashboardOptions.imports / FleetOptions.agentImports): `Date.now()`
// answers the real time plus an offset in milliseconds read from the file $WGFLEET_TEST_CLOCK_FILE
// names, so a test can jump a running process's clock by days (writeClockOffset) without sleeping.
// Production code knows nothing of it: it reads time through Date.now (its Clock defaults to it).
// `new Date()` without arguments is left alone on purpose: replacing the global Date class would
// break `instanceof Date` for dates libraries made before the patch. A missing or unreadable file
// means offset 0; the file is re-read at most every READ_INTERVAL_MS of real time, so a write is
// seen within that long and the cost per call is one comparison.
import { readFileSync } from "node:fs";
import { rename, writeFile } from "node:fs/promises";

/** The environment variable naming the offset file. */
export const TEST_CLOCK_FILE_ENV = "WGFLEET_TEST_CLOCK_FILE";

/** This file, for DashboardOptions.imports and FleetOptions.agentImports. */
export const SHIFTED_CLOCK_MODULE = new URL(import.meta.url).pathname;

/** How stale the offset may be, in real milliseconds. */
export const READ_INTERVAL_MS = 100;

/** Writes the offset atomically (temp file + rename), so a reading process never sees half a number. */
export async function writeClockOffset(file: string, offsetMs: number): Promise<void> {
  if (!Number.isSafeInteger(offsetMs)) throw new Error(`clock offset ${offsetMs} must be an integer`);
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${offsetMs}\n`, { mode: 0o644 });
  await rename(temp, file);
}

/** The offset the file holds now; 0 when it is missing or holds no integer. */
export function readClockOffset(file: string): number {
  try {
    const value = Number(readFileSync(file, "utf8").trim());
    return Number.isSafeInteger(value) ? value : 0;
  } catch {
    return 0;
  }
}

/** Replaces Date.now with real time + the file's offset. */
export function installShiftedClock(file: string): void {
  const realNow = Date.now.bind(Date);
  let offset = readClockOffset(file);
  let readAt = realNow();
  Date.now = () => {
    const real = realNow();
    if (real - readAt >= READ_INTERVAL_MS || real < readAt) {
      offset = readClockOffset(file);
      readAt = real;
    }
    return real + offset;
  };
}

const clockFile = process.env[TEST_CLOCK_FILE_ENV];
if (clockFile) installShiftedClock(clockFile);
