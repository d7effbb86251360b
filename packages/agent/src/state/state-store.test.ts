import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ConflictError,
  generateKeyPair,
  type InterfaceSpec,
  NotFoundError,
  type PeerSpec,
} from "@wgfleet/core";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DesiredInterface } from "./desired-interface.js";
import { StateStore } from "./state-store.js";

const logger = pino({ level: "silent" });

function spec(name = "wg0"): InterfaceSpec {
  return {
    name,
    privateKey: generateKeyPair().privateKey,
    listenPort: 51820,
    addresses: ["198.51.100.1/24"],
  };
}

function peer(index: number): PeerSpec {
  return { publicKey: generateKeyPair().publicKey, allowedIps: [`198.51.100.${index + 2}/32`] };
}

/** The used part of a journal: it ends at the first NUL byte of its zero-filled tail. */
async function journalText(path: string): Promise<string> {
  const text = await readFile(path, "utf8");
  const end = text.indexOf("\0");
  return end === -1 ? text : text.slice(0, end);
}

const noApply = async (desired: DesiredInterface) => desired.revision;

describe("StateStore", () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "wgfleet-agent-store-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("persists interface, upserts and removals, and loads them back in a new process", async () => {
    const store = await StateStore.open({ dir, logger });
    const s = spec();
    const peers = [peer(0), peer(1), peer(2)];
    await store.putInterface(s, 3, noApply);
    for (const p of peers) await store.upsertPeers("wg0", [p], undefined, "peer", noApply);
    await store.removePeers("wg0", [peers[1]?.publicKey as string], 7, noApply);
    await store.close();

    const reopened = await StateStore.open({ dir, logger });
    const desired = reopened.get("wg0");
    expect(desired?.interfaceSpec).toEqual(s);
    expect(desired?.revision).toBe(7);
    expect(desired?.peerList()).toEqual([peers[0], peers[2]]);
    await reopened.close();
  });

  it("writes files readable by root only", async () => {
    const store = await StateStore.open({ dir: join(dir, "state"), logger });
    await store.putInterface(spec(), 0, noApply);
    await store.upsertPeers("wg0", [peer(0)], undefined, "peer", noApply);
    expect((await stat(join(dir, "state"))).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, "state", "wg0.json"))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, "state", "wg0.journal"))).mode & 0o777).toBe(0o600);
    await store.close();
  });

  it("hands concurrent changes to apply in the order it persisted them", async () => {
    const store = await StateStore.open({ dir, logger });
    await store.putInterface(spec(), 0, noApply);
    const applied: string[] = [];
    const peers = Array.from({ length: 50 }, (_, i) => peer(i));
    await Promise.all(
      peers.map((p) =>
        store.upsertPeers("wg0", [p], undefined, "peer", async (desired) => {
          applied.push(p.publicKey);
          // Persisted before applied: the peer is already in the desired state.
          expect(desired.peer(p.publicKey)).toEqual(p);
        }),
      ),
    );
    expect(applied).toEqual(peers.map((p) => p.publicKey));
    const journal = await journalText(join(dir, "wg0.journal"));
    expect(journal.trim().split("\n")).toHaveLength(50);
    await store.close();
  });

  it("refuses an older full state with ConflictError and keeps the newer one on disk", async () => {
    const store = await StateStore.open({ dir, logger });
    const s = spec();
    await store.putState({ revision: 5, interface: s, peers: [peer(0)] }, noApply);
    const before = await readFile(join(dir, "wg0.json"), "utf8");
    await expect(store.putState({ revision: 4, interface: s, peers: [] }, noApply)).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect(await readFile(join(dir, "wg0.json"), "utf8")).toBe(before);
    expect(store.get("wg0")?.peerCount).toBe(1);
    await store.close();
  });

  it("refuses a peer whose allowed IP another peer holds, without touching the others of its group", async () => {
    const store = await StateStore.open({ dir, logger });
    await store.putInterface(spec(), 0, noApply);
    const first = peer(0);
    const clash = { ...peer(1), allowedIps: first.allowedIps };
    const third = peer(2);
    const results = await Promise.allSettled([
      store.upsertPeers("wg0", [first], undefined, "peer", noApply),
      store.upsertPeers("wg0", [clash], undefined, "peer", noApply),
      store.upsertPeers("wg0", [third], undefined, "peer", noApply),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    const error = (results[1] as PromiseRejectedResult).reason as ConflictError;
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.field).toBe("peer.allowedIps[0]");
    await store.close();
    const reopened = await StateStore.open({ dir, logger });
    expect(reopened.get("wg0")?.peerList()).toEqual([first, third]);
    await reopened.close();
  });

  it("answers NotFoundError for peers of an unknown interface and writes nothing", async () => {
    const store = await StateStore.open({ dir, logger });
    await expect(store.upsertPeers("nope0", [peer(0)], undefined, "peer", noApply)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(store.removeInterface("nope0", async () => {})).rejects.toBeInstanceOf(NotFoundError);
    expect(store.names()).toEqual([]);
    await store.close();
  });

  it("does not apply a change whose apply comes after a failed write, and undoes it in memory", async () => {
    const store = await StateStore.open({ dir, logger });
    await store.putInterface(spec(), 0, noApply);
    await rm(dir, { recursive: true, force: true }); // the journal cannot be opened any more
    let applied = false;
    await expect(
      store.upsertPeers("wg0", [peer(0)], undefined, "peer", async () => {
        applied = true;
      }),
    ).rejects.toThrow(/ENOENT/);
    expect(applied).toBe(false);
    expect(store.get("wg0")?.peerCount).toBe(0);
  });

  it("shows only what is on disk while a write is under way (the controller reads this model)", async () => {
    const store = await StateStore.open({ dir, logger });
    const s = spec();
    const [a, b] = [peer(0), peer(1)];
    await store.putInterface(s, 1, noApply);
    await store.upsertPeers("wg0", [a], 1, "peer", noApply);
    const desired = store.get("wg0") as DesiredInterface;
    const seen: string[][] = [];
    const upsert = store.upsertPeers("wg0", [b], 2, "peer", async (d) => {
      seen.push(d.peerList().map((p) => p.publicKey));
      return d.revision;
    });
    const removal = store.removePeers("wg0", [a.publicKey], 3, noApply);
    const respec = store.putInterface({ ...s, listenPort: 51821 }, 4, noApply);
    // The journal write has started and not finished: the model is still the one on disk.
    expect(desired.peerList()).toEqual([a]);
    expect(desired.revision).toBe(1);
    // On disk: handed over with exactly its own change on top.
    expect(await upsert).toBe(2);
    expect(seen).toEqual([[a.publicKey, b.publicKey]]);
    await removal;
    expect(desired.interfaceSpec.listenPort).toBe(51820);
    await respec;
    expect(desired.toState()).toEqual({ revision: 4, interface: { ...s, listenPort: 51821 }, peers: [b] });
    await store.close();
  });

  it("ignores a journal line cut short by a crash and compacts on load", async () => {
    const store = await StateStore.open({ dir, logger });
    await store.putInterface(spec(), 0, noApply);
    const kept = peer(0);
    await store.upsertPeers("wg0", [kept], undefined, "peer", noApply);
    await store.close();
    // The crash cut the next line short: part of it sits where the used part of the journal ends.
    const journal = await readFile(join(dir, "wg0.journal"));
    const torn = Buffer.from('{"seq":2,"upsert":[{"publicKey":"abc');
    torn.copy(journal, journal.indexOf(0));
    await writeFile(join(dir, "wg0.journal"), journal);
    const reopened = await StateStore.open({ dir, logger });
    expect(reopened.get("wg0")?.peerList()).toEqual([kept]);
    await expect(stat(join(dir, "wg0.journal"))).rejects.toThrow(/ENOENT/);
    await reopened.upsertPeers("wg0", [peer(1)], undefined, "peer", noApply);
    await reopened.close();
    const third = await StateStore.open({ dir, logger });
    expect(third.get("wg0")?.peerCount).toBe(2);
    await third.close();
  });

  it("skips journal entries a snapshot already includes (crash between snapshot and journal removal)", async () => {
    const store = await StateStore.open({ dir, logger });
    await store.putInterface(spec(), 0, noApply);
    const a = peer(0);
    await store.upsertPeers("wg0", [a], undefined, "peer", noApply);
    await store.removePeers("wg0", [a.publicKey], undefined, noApply);
    const journal = await readFile(join(dir, "wg0.journal"), "utf8");
    await store.close();
    // Fold the journal into the snapshot as compaction would, then put the old journal back.
    const folded = await StateStore.open({ dir, logger });
    await folded.close();
    await writeFile(join(dir, "wg0.journal"), journal);
    const snapshot = JSON.parse(await readFile(join(dir, "wg0.json"), "utf8")) as { seq: number };
    expect(snapshot.seq).toBe(2);
    const reopened = await StateStore.open({ dir, logger });
    expect(reopened.get("wg0")?.peerCount).toBe(0);
    await reopened.close();
  });

  it("compacts the journal into a snapshot once it outgrows the limit", async () => {
    const store = await StateStore.open({ dir, logger, compactAtBytes: 1024 });
    await store.putInterface(spec(), 0, noApply);
    for (let i = 0; i < 40; i++) await store.upsertPeers("wg0", [peer(i)], undefined, "peer", noApply);
    const journalSize = Buffer.byteLength(await journalText(join(dir, "wg0.journal")).catch(() => ""));
    expect(journalSize).toBeLessThanOrEqual(Math.max(1024, (await stat(join(dir, "wg0.json"))).size) + 200);
    await store.close();
    const reopened = await StateStore.open({ dir, logger });
    expect(reopened.get("wg0")?.peerCount).toBe(40);
    await reopened.close();
  });

  it("writes a change as large as the interface as a snapshot instead of a journal line", async () => {
    const store = await StateStore.open({ dir, logger });
    await store.putInterface(spec(), 0, noApply);
    const many = Array.from({ length: 1200 }, (_, i) => ({
      publicKey: generateKeyPair().publicKey,
      allowedIps: [`2001:db8::${(i + 2).toString(16)}/128`],
    }));
    await store.applyBatch("wg0", { upsert: many, remove: [] }, noApply);
    await expect(stat(join(dir, "wg0.journal"))).rejects.toThrow(/ENOENT/);
    await store.close();
    const reopened = await StateStore.open({ dir, logger });
    expect(reopened.get("wg0")?.peerCount).toBe(1200);
    await reopened.close();
  });

  it("keeps journalling past the zero-filled part of the journal, and reads it all back", async () => {
    const store = await StateStore.open({ dir, logger, compactAtBytes: 10 * 1024 * 1024 });
    await store.putInterface(spec(), 0, noApply);
    const peers = Array.from({ length: 2500 }, (_, i) => ({
      publicKey: generateKeyPair().publicKey,
      allowedIps: [`2001:db8::${(i + 2).toString(16)}/128`],
    }));
    await Promise.all(peers.map((p) => store.upsertPeers("wg0", [p], undefined, "peer", noApply)));
    const size = (await stat(join(dir, "wg0.journal"))).size;
    expect(size).toBeGreaterThan(256 * 1024);
    expect(size % (256 * 1024)).toBe(0);
    await store.close();
    const reopened = await StateStore.open({ dir, logger });
    expect(reopened.get("wg0")?.peerList()).toEqual(peers);
    await reopened.close();
  });

  it("removes an interface's files", async () => {
    const store = await StateStore.open({ dir, logger });
    await store.putInterface(spec(), 0, noApply);
    await store.upsertPeers("wg0", [peer(0)], undefined, "peer", noApply);
    await store.removeInterface("wg0", async () => {});
    expect(store.names()).toEqual([]);
    await expect(stat(join(dir, "wg0.json"))).rejects.toThrow(/ENOENT/);
    await expect(stat(join(dir, "wg0.journal"))).rejects.toThrow(/ENOENT/);
    await store.close();
  });
});
