import { generateKeyPair } from "@wgfleet/core";
import { describe, expect, it } from "vitest";
import { PendingPeerOps } from "./peer-ops.js";
import { SerialQueue } from "./serial-queue.js";

const [a, b] = [generateKeyPair().publicKey, generateKeyPair().publicKey];

describe("PendingPeerOps", () => {
  it("keeps the last operation per key, in the order of the last operations", () => {
    const ops = new PendingPeerOps();
    ops.upsert([{ publicKey: a, allowedIps: ["198.51.100.2/32"] }]);
    ops.upsert([{ publicKey: b, allowedIps: ["198.51.100.3/32"] }], 4);
    ops.remove([a], 2);
    ops.upsert([{ publicKey: b, allowedIps: ["198.51.100.4/32"] }]);
    expect(ops.result()).toEqual({
      upsert: [{ publicKey: b, allowedIps: ["198.51.100.4/32"] }],
      remove: [a],
    });
    expect(ops.highestRevision).toBe(4);
  });

  it("has no revision until one is given", () => {
    expect(new PendingPeerOps().highestRevision).toBeUndefined();
  });
});

describe("SerialQueue", () => {
  it("runs jobs one at a time in order, and a failure does not stop the next", async () => {
    const queue = new SerialQueue();
    const events: string[] = [];
    const job =
      (id: string, fail = false) =>
      async () => {
        events.push(`start ${id}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        events.push(`end ${id}`);
        if (fail) throw new Error(id);
        return id;
      };
    const results = await Promise.allSettled([
      queue.run(job("1")),
      queue.run(job("2", true)),
      queue.run(job("3")),
    ]);
    expect(events).toEqual(["start 1", "end 1", "start 2", "end 2", "start 3", "end 3"]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(queue.size).toBe(0);
  });
});
