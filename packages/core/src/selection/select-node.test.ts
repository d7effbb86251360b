import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NodeUnavailableError, NotFoundError } from "../errors.js";
import { isNodeEligible, LOCAL_NODE_ID, type NodeCandidate, nodeScore } from "./node-candidate.js";
import { selectNode } from "./select-node.js";

function node(id: string, overrides: Partial<NodeCandidate> = {}): NodeCandidate {
  return {
    id,
    name: `node-${id}`,
    enabled: true,
    status: "online",
    activePeers: 0,
    maxPeers: 100,
    weight: 100,
    poolExhausted: false,
    ...overrides,
  };
}

const local = (overrides: Partial<NodeCandidate> = {}) =>
  node(LOCAL_NODE_ID, { name: "local", ...overrides });

function unavailable(run: () => unknown): NodeUnavailableError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(NodeUnavailableError);
    return error as NodeUnavailableError;
  }
  throw new Error("expected NodeUnavailableError");
}

describe("selectNode auto: the scenarios of docs/multi-node.md", () => {
  it("balanced: A 30/100 beats B 60/100", () => {
    const a = node("a", { activePeers: 30 });
    const b = node("b", { activePeers: 60 });
    expect(nodeScore(a)).toBeCloseTo(0.003);
    expect(nodeScore(b)).toBeCloseTo(0.006);
    expect(selectNode([b, a], "auto", null)).toBe(a);
  });

  it("weighted: A 50/100 weight 200 beats B 30/100 weight 100", () => {
    const a = node("a", { activePeers: 50, weight: 200 });
    const b = node("b", { activePeers: 30, weight: 100 });
    expect(nodeScore(a)).toBeCloseTo(0.0025);
    expect(nodeScore(b)).toBeCloseTo(0.003);
    expect(selectNode([b, a], "auto", null)).toBe(a);
  });

  it("capacity: A at 100/100 is skipped for B at 50/100", () => {
    const a = node("a", { activePeers: 100 });
    const b = node("b", { activePeers: 50 });
    expect(selectNode([a, b], "auto", null)).toBe(b);
  });
});

describe("selectNode auto", () => {
  it("breaks ties by fewer peers, then by name", () => {
    const small = node("1", { name: "zulu", activePeers: 10, maxPeers: 100 });
    const large = node("2", { name: "alpha", activePeers: 20, maxPeers: 200 });
    expect(nodeScore(small)).toBe(nodeScore(large));
    expect(selectNode([large, small], "auto", null)).toBe(small);
    const bravo = node("3", { name: "bravo", activePeers: 10 });
    const alpha = node("4", { name: "alpha", activePeers: 10 });
    expect(selectNode([bravo, alpha], "auto", null)).toBe(alpha);
  });

  it.each<[string, Partial<NodeCandidate>]>([
    ["disabled", { enabled: false }],
    ["draining", { draining: true }],
    ["degraded", { status: "degraded" }],
    ["offline", { status: "offline" }],
    ["unknown", { status: "unknown" }],
    ["unavailable", { status: "unavailable" }],
    ["full", { activePeers: 100 }],
    ["over its cap", { activePeers: 150 }],
    ["out of addresses", { poolExhausted: true }],
  ])("passes over a %s node however empty it is", (_name, overrides) => {
    const idle = node("idle", overrides);
    const busy = node("busy", { activePeers: 90 });
    expect(selectNode([idle, busy], "auto", null)).toBe(busy);
  });

  it("falls back to the local node when no remote node is eligible", () => {
    const me = local({ activePeers: 500, maxPeers: 1000 });
    expect(selectNode([node("a", { status: "offline" })], "auto", me)).toBe(me);
    expect(selectNode([], "auto", me)).toBe(me);
  });

  it("prefers an eligible remote node to the local node", () => {
    const a = node("a", { activePeers: 99 });
    expect(selectNode([a], "auto", local())).toBe(a);
  });

  it.each<[string, NodeCandidate | null]>([
    ["no local node", null],
    ["local disabled", local({ enabled: false })],
    ["local unavailable", local({ status: "unavailable" })],
    ["local full", local({ activePeers: 100 })],
    ["local out of addresses", local({ poolExhausted: true })],
  ])("says no node is available when none is eligible and %s", (_name, me) => {
    const error = unavailable(() =>
      selectNode(
        [node("a", { name: "alpha", status: "offline" }), node("b", { name: "bravo", activePeers: 100 })],
        "auto",
        me,
      ),
    );
    expect(error.message).toMatch(/^no node available/);
    expect(error.message).toContain('"alpha" (a) offline');
    expect(error.message).toContain('"bravo" (b) full (100/100 peers)');
    expect(error.field).toBe("node");
    expect(error.status).toBe(503);
  });

  it("says no node is available when nothing hosts the configuration", () => {
    expect(unavailable(() => selectNode([], "auto", null)).message).toContain(
      "no remote node hosts this configuration",
    );
  });
});

describe("selectNode with an explicit node", () => {
  it("takes the chosen node even when another scores better, and even when degraded", () => {
    const busy = node("busy", { activePeers: 90, status: "degraded" });
    expect(selectNode([node("idle"), busy], "busy", null)).toBe(busy);
  });

  it.each<[string, Partial<NodeCandidate>, string]>([
    ["disabled", { enabled: false }, "disabled"],
    ["draining", { draining: true }, "draining (takes no new peers)"],
    ["offline", { status: "offline" }, "offline"],
    ["unavailable", { status: "unavailable" }, "unavailable"],
    ["full", { activePeers: 100 }, "full (100/100 peers)"],
    ["pool exhausted", { poolExhausted: true }, "out of addresses"],
  ])("refuses a %s node, naming it and why, without falling back", (_name, overrides, reason) => {
    const chosen = node("n2", { name: "frankfurt", ...overrides });
    const error = unavailable(() => selectNode([node("n1"), chosen], "n2", local()));
    expect(error.message).toContain('"frankfurt" (n2)');
    expect(error.message).toContain(reason);
    expect(error.field).toBe("node");
  });

  it("refuses an unknown node id", () => {
    expect(() => selectNode([node("n1")], "n9", local())).toThrow(NotFoundError);
  });

  it("takes the local node when asked", () => {
    const me = local({ status: "unknown" });
    expect(selectNode([node("n1")], "local", me)).toBe(me);
  });

  it("refuses local when the local node does not host the configuration", () => {
    expect(unavailable(() => selectNode([node("n1")], "local", null)).field).toBe("node");
  });

  it("refuses a full local node", () => {
    expect(unavailable(() => selectNode([], "local", local({ activePeers: 100 }))).message).toContain(
      "(local) is full",
    );
  });
});

describe("selectNode property", () => {
  const candidateArb = fc.record({
    id: fc.string({ minLength: 1, maxLength: 4 }).filter((id) => id !== "auto" && id !== LOCAL_NODE_ID),
    name: fc.constantFrom("a", "b", "c", "d"),
    enabled: fc.boolean(),
    status: fc.constantFrom(
      "online",
      "online",
      "degraded",
      "offline",
      "unknown",
      "unavailable",
    ) as fc.Arbitrary<NodeCandidate["status"]>,
    activePeers: fc.integer({ min: 0, max: 120 }),
    maxPeers: fc.integer({ min: 0, max: 100 }),
    weight: fc.integer({ min: 0, max: 300 }),
    poolExhausted: fc.boolean(),
  });

  it("auto picks an eligible node and none eligible scores strictly lower (or has the same score and fewer peers)", () => {
    fc.assert(
      fc.property(fc.uniqueArray(candidateArb, { selector: (c) => c.id, maxLength: 8 }), (candidates) => {
        const eligible = candidates.filter(isNodeEligible);
        if (eligible.length === 0) {
          expect(() => selectNode(candidates, "auto", null)).toThrow(NodeUnavailableError);
          return;
        }
        const chosen = selectNode(candidates, "auto", local());
        expect(candidates).toContain(chosen);
        expect(isNodeEligible(chosen)).toBe(true);
        for (const other of eligible) {
          expect(nodeScore(other)).toBeGreaterThanOrEqual(nodeScore(chosen));
          if (nodeScore(other) === nodeScore(chosen))
            expect(other.activePeers).toBeGreaterThanOrEqual(chosen.activePeers);
        }
      }),
      { numRuns: 500 },
    );
  });
});
