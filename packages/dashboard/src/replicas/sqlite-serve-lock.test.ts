import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { acquireServeLock, SERVE_LOCK_FILE, ServeLockedError } from "./sqlite-serve-lock.js";

describe("the SQLite serve lock", () => {
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "wgfleet-lock-"));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const child of children.splice(0)) child.kill("SIGKILL");
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("is taken, names this process, and is gone after release", () => {
    const dir = tempDir();
    const lock = acquireServeLock(dir);
    expect(readFileSync(join(dir, SERVE_LOCK_FILE), "utf8").trim()).toBe(String(process.pid));
    lock.release();
    expect(existsSync(join(dir, SERVE_LOCK_FILE))).toBe(false);
  });

  it("refuses while another running process holds it, in one line naming its pid", async () => {
    const dir = tempDir();
    const other = spawn("sleep", ["30"], { stdio: "ignore" });
    children.push(other);
    writeFileSync(join(dir, SERVE_LOCK_FILE), `${other.pid}\n`);
    let refusal: unknown = null;
    try {
      acquireServeLock(dir);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(ServeLockedError);
    const message = (refusal as Error).message;
    expect(message).toContain(`pid ${other.pid}`);
    expect(message).toContain("DATABASE_URL");
    expect(message).not.toContain("\n");
    // The holder stops (crashes): its file is taken over.
    other.kill("SIGKILL");
    await new Promise((resolve) => other.once("exit", resolve));
    const lock = acquireServeLock(dir);
    expect(readFileSync(join(dir, SERVE_LOCK_FILE), "utf8").trim()).toBe(String(process.pid));
    lock.release();
  });
});
