// Fault injection for the end-to-end tests, and nothing else: honoured only when NODE_ENV is "test"
// (Vitest sets it, and the processes a test starts inherit it); otherwise WGFLEET_TEST_FAULT is
// ignored. The one fault: `crash-after-allocate` kills the process (SIGKILL) right after a new peer's
// address is allocated and its row committed `pending`, before the node is called — the crash the
// start-up settlement must repair. `crash-after-allocate` fires once per data directory (a marker
// file, so a restart with the same environment does not crash again); `crash-after-allocate:NAME`
// fires for every creation of a peer named NAME.
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const TEST_FAULT_ENV = "WGFLEET_TEST_FAULT";
const CRASH_AFTER_ALLOCATE = "crash-after-allocate";
const MARKER_FILE = "test-fault-crash-after-allocate.fired";

export interface TestFaults {
  /** Called by the creation saga between allocation and the node call. */
  afterAllocate(peerName: string): void;
}

type Env = Readonly<Record<string, string | undefined>>;

/** The faults the environment asks for, or null (always null outside NODE_ENV=test). */
export function resolveTestFaults(
  dataDir: string,
  env: Env = process.env,
  crash: () => void = () => process.kill(process.pid, "SIGKILL"),
): TestFaults | null {
  const spec = env[TEST_FAULT_ENV];
  if (env.NODE_ENV !== "test" || !spec) return null;
  if (spec === CRASH_AFTER_ALLOCATE) {
    const marker = join(dataDir, MARKER_FILE);
    return {
      afterAllocate: () => {
        if (existsSync(marker)) return;
        writeFileSync(marker, "fired\n");
        crash();
      },
    };
  }
  if (spec.startsWith(`${CRASH_AFTER_ALLOCATE}:`)) {
    const name = spec.slice(CRASH_AFTER_ALLOCATE.length + 1);
    return {
      afterAllocate: (peerName) => {
        if (peerName === name) crash();
      },
    };
  }
  throw new Error(`${TEST_FAULT_ENV}: unknown fault "${spec}" (known: ${CRASH_AFTER_ALLOCATE}[:PEER_NAME])`);
}
