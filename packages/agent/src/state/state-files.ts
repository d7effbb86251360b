// The files that hold one interface's desired state: a snapshot `NAME.json` written atomically (temp
// file, fsync, rename, fsync of the directory) and a journal `NAME.journal` of the peer changes made
// since, one JSON line each, on disk (O_DSYNC) before the change is applied. The journal is zero-filled
// ahead of its end, like a database's write-ahead log, so that a write flushes data only, not the file
// size; its used part ends at the first NUL byte. Files are mode 0600 (they hold the interface's
// private key); nothing here logs their content.
import { closeSync, constants, openSync, readFileSync, writeSync } from "node:fs";
import { mkdir, open, readdir, readFile, rename, rm, unlink } from "node:fs/promises";
import { join } from "node:path";
import type { InterfaceState } from "@wgfleet/core";
import type { PeerChange } from "./desired-interface.js";

export const SNAPSHOT_FORMAT = 1;

export interface Snapshot {
  format: typeof SNAPSHOT_FORMAT;
  /** The last journal entry this snapshot includes; entries up to it are skipped on load. */
  seq: number;
  state: InterfaceState;
}

export interface JournalEntry extends PeerChange {
  seq: number;
}

export interface LoadedInterface {
  snapshot: Snapshot;
  entries: JournalEntry[];
  /** A last line that was cut short by a crash (ignored). */
  tornTail: boolean;
  journalBytes: number;
  snapshotBytes: number;
}

export class StateFiles {
  constructor(readonly dir: string) {}

  /** Creates the directory (0700) and removes temp files a crash left behind. */
  async prepare(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    for (const file of await readdir(this.dir)) {
      if (file.includes(".tmp-")) await rm(join(this.dir, file), { force: true });
    }
  }

  async interfaceNames(): Promise<string[]> {
    const files = await readdir(this.dir);
    return files.filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -".json".length));
  }

  snapshotPath(name: string): string {
    return join(this.dir, `${name}.json`);
  }

  journalPath(name: string): string {
    return join(this.dir, `${name}.journal`);
  }

  async load(name: string): Promise<LoadedInterface> {
    const snapshotText = await readFile(this.snapshotPath(name), "utf8");
    const snapshot = JSON.parse(snapshotText) as Snapshot;
    if (snapshot.format !== SNAPSHOT_FORMAT) {
      throw new Error(`state file ${this.snapshotPath(name)} has unknown format ${String(snapshot.format)}`);
    }
    let text = "";
    try {
      text = await readFile(this.journalPath(name), "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    const { entries, tornTail } = parseJournal(text, snapshot.seq);
    const used = text.indexOf("\0");
    return {
      snapshot,
      entries,
      tornTail,
      journalBytes: Buffer.byteLength(used === -1 ? text : text.slice(0, used)),
      snapshotBytes: Buffer.byteLength(snapshotText),
    };
  }

  /** Atomically replaces the snapshot, then empties the journal it includes. */
  async writeSnapshot(name: string, snapshot: Snapshot): Promise<number> {
    const data = JSON.stringify(snapshot);
    await writeFileAtomic(this.dir, this.snapshotPath(name), data);
    await rm(this.journalPath(name), { force: true });
    return Buffer.byteLength(data);
  }

  async remove(name: string): Promise<void> {
    await rm(this.snapshotPath(name), { force: true });
    await rm(this.journalPath(name), { force: true });
    await fsyncDirectory(this.dir);
  }

  /** Opens the journal to write after its used part (created when missing). */
  async openJournal(name: string): Promise<Journal> {
    const path = this.journalPath(name);
    // O_DSYNC: each write returns once its data is on disk — one system call instead of write + fdatasync.
    const flags = constants.O_RDWR | constants.O_DSYNC;
    let fd: number;
    let content = Buffer.alloc(0);
    try {
      fd = openSync(path, flags);
      content = readFileSync(fd);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      fd = openSync(path, flags | constants.O_CREAT | constants.O_EXCL, 0o600);
      await fsyncDirectory(this.dir);
    }
    const used = content.indexOf(0);
    return new Journal(fd, used === -1 ? content.length : used, content.length);
  }
}

/** The journal grows by this many zero bytes at a time (the one write that also changes its size). */
export const JOURNAL_STEP_BYTES = 256 * 1024;

/**
 * An open journal file (O_DSYNC): writes lines into its zero-filled tail, each write durable when it
 * returns. The write is synchronous, on the main thread: a line is small, and on a busy machine two
 * hand-offs to the thread pool cost more than the write itself. Requests that arrive meanwhile wait in
 * the socket and share the next write.
 */
export class Journal {
  constructor(
    private readonly fd: number,
    private position: number,
    private capacity: number,
  ) {}

  async append(entries: readonly JournalEntry[]): Promise<number> {
    const data = Buffer.from(`${entries.map((e) => JSON.stringify(e)).join("\n")}\n`, "utf8");
    // One NUL byte always follows the used part, so a reader knows where it ends.
    if (this.position + data.length + 1 > this.capacity) this.grow(this.position + data.length + 1);
    writeFully(this.fd, data, this.position);
    this.position += data.length;
    return data.length;
  }

  async close(): Promise<void> {
    closeSync(this.fd);
  }

  private grow(needed: number): void {
    const size = Math.ceil(needed / JOURNAL_STEP_BYTES) * JOURNAL_STEP_BYTES;
    writeFully(this.fd, Buffer.alloc(size - this.capacity), this.capacity);
    this.capacity = size;
  }
}

function writeFully(fd: number, data: Buffer, position: number): void {
  let written = 0;
  while (written < data.length) {
    written += writeSync(fd, data, written, data.length - written, position + written);
  }
}

export function parseJournal(text: string, afterSeq: number): { entries: JournalEntry[]; tornTail: boolean } {
  const end = text.indexOf("\0");
  const lines = (end === -1 ? text : text.slice(0, end)).split("\n");
  const entries: JournalEntry[] = [];
  let tornTail = false;
  lines.forEach((line, i) => {
    if (line === "") return;
    try {
      const entry = JSON.parse(line) as JournalEntry;
      if (entry.seq > afterSeq) entries.push(entry);
    } catch (error) {
      // Only the last line can be cut short by a crash; anything else is corruption.
      if (i === lines.length - 1) tornTail = true;
      else throw new Error(`journal line ${i + 1} is not JSON: ${(error as Error).message}`);
    }
  });
  return { entries, tornTail };
}

/** temp file (0600, exclusive), write, fsync, rename over the target, fsync the directory. */
export async function writeFileAtomic(dir: string, path: string, data: string): Promise<void> {
  const temp = `${path}.tmp-${process.pid}-${Math.random().toString(16).slice(2)}`;
  const handle = await open(temp, "wx", 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
  await fsyncDirectory(dir);
}

export async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
