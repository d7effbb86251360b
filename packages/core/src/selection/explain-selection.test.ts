import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NodeUnavailableError } from "../errors.js";
import { chooseAuto, explainAutoSelection, type PassedOver } from "./explain-selection.js";
import {
  ineligibleCode,
  LOCAL_NODE_ID,
  type NodeCandidate,
  nodeScore,
  unavailableCode,
} from "./node-candidate.js";
import { compareCandidates } from "./rank-candidates.js";
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

const summary = (passed: PassedOver[]) => passed.map((p) => [p.node.id, p.code]);

describe("explainAutoSelection", () => {
  it("a tie on score whose tie-break winner is out of addresses: the other node, and says why", () => {
    // 3/6 at weight 100 and 5/10 at weight 100 tie at 0.005; "a" has fewer peers and would win.
    const a = node("a", { name: "alpha", activePeers: 3, maxPeers: 6, poolExhausted: true });
    const b = node("b", { name: "bravo", activePeers: 5, maxPeers: 10 });
    expect(nodeScore(a)).toBe(nodeScore(b));
    const explained = explainAutoSelection([a, b], local());
    expect(explained.chosen).toBe(b);
    expect(explained.score).toBeCloseTo(0.005);
    expect(summary(explained.passedOver)).toEqual([
      ["a", "pool_exhausted"],
      [LOCAL_NODE_ID, "local_fallback_only"],
    ]);
    expect(explained.passedOver[0]?.reason).toBe("out of addresses (pool exhausted)");
    expect(selectNode([a, b], "auto", local())).toBe(b);
    // The same tie with room in the pool: "a" wins on fewer peers, and "b" is told so.
    const roomy = { ...a, poolExhausted: false };
    const tie = explainAutoSelection([b, roomy], null);
    expect(tie.chosen).toBe(roomy);
    expect(summary(tie.passedOver)).toEqual([["b", "lost_tie_break_peers"]]);
    expect(tie.passedOver[0]?.reason).toBe("lost the tie-break (same score 0.005): more peers, 5 against 3");
  });

  it("names the step that decided: score, peers, name, id", () => {
    const winner = node("w", { name: "mike", activePeers: 10 });
    const explained = explainAutoSelection(
      [
        node("s", { name: "alpha", activePeers: 20 }),
        node("p", { name: "alpha", activePeers: 20, maxPeers: 200 }),
        node("n", { name: "zulu", activePeers: 10 }),
        node("x", { name: "mike", activePeers: 10 }),
        winner,
      ],
      null,
    );
    expect(explained.chosen).toBe(winner);
    expect(summary(explained.passedOver)).toEqual([
      ["x", "lost_tie_break_id"],
      ["n", "lost_tie_break_name"],
      ["p", "lost_tie_break_peers"],
      ["s", "lost_on_score"],
    ]);
    expect(explained.passedOver[3]?.reason).toBe("lost on score: 0.002 against 0.001");
    expect(explained.passedOver[1]?.reason).toContain('name "zulu" sorts after "mike"');
  });

  it("lists every ineligible node with its reason, in the order given", () => {
    const explained = explainAutoSelection(
      [
        node("d", { enabled: false }),
        node("o", { status: "offline" }),
        node("u", { status: "unavailable" }),
        node("f", { activePeers: 100 }),
        node("g", { status: "degraded" }),
        node("k", { status: "unknown" }),
        node("ok", { activePeers: 99 }),
      ],
      null,
    );
    expect(explained.chosen?.id).toBe("ok");
    expect(summary(explained.passedOver)).toEqual([
      ["d", "disabled"],
      ["o", "offline"],
      ["u", "unavailable"],
      ["f", "full"],
      ["g", "degraded"],
      ["k", "unknown"],
    ]);
    expect(explained.passedOver[3]?.reason).toBe("full (100/100 peers)");
  });

  it("falls back to the local node and says so", () => {
    const me = local({ activePeers: 5, maxPeers: 1000 });
    const explained = explainAutoSelection([node("a", { poolExhausted: true })], me);
    expect(explained).toMatchObject({ chosen: me, localFallback: true, refusal: null });
    expect(explained.score).toBeCloseTo(0.00005);
    expect(summary(explained.passedOver)).toEqual([["a", "pool_exhausted"]]);
  });

  it("chooses nothing, with the 503's message, when no node can take a peer", () => {
    const explained = explainAutoSelection(
      [node("a", { name: "alpha", status: "offline" })],
      local({ enabled: false }),
    );
    expect(explained).toMatchObject({ chosen: null, score: null, localFallback: false });
    expect(summary(explained.passedOver)).toEqual([
      ["a", "offline"],
      [LOCAL_NODE_ID, "disabled"],
    ]);
    expect(explained.refusal).toBe('no node available: "alpha" (a) offline; local node disabled');
    const error = (() => {
      try {
        selectNode([node("a", { name: "alpha", status: "offline" })], "auto", local({ enabled: false }));
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(NodeUnavailableError);
    expect((error as Error).message).toBe(explained.refusal);
  });

  it("a remote winner passes over an unusable local node with the local node's own reason", () => {
    const explained = explainAutoSelection([node("a")], local({ activePeers: 100 }));
    expect(summary(explained.passedOver)).toEqual([[LOCAL_NODE_ID, "full"]]);
  });
});

describe("explainAutoSelection property", () => {
  const candidateArb = fc.record({
    id: fc.string({ minLength: 1, maxLength: 4 }).filter((id) => id !== "auto" && id !== LOCAL_NODE_ID),
    name: fc.constantFrom("a", "b", "c"),
    enabled: fc.boolean(),
    status: fc.constantFrom("online", "online", "online", "degraded", "offline") as fc.Arbitrary<
      NodeCandidate["status"]
    >,
    activePeers: fc.integer({ min: 0, max: 12 }),
    maxPeers: fc.constantFrom(0, 5, 10, 20),
    weight: fc.constantFrom(0, 50, 100, 200),
    poolExhausted: fc.boolean(),
  });
  const localArb = fc.option(
    fc.record({ enabled: fc.boolean(), activePeers: fc.integer({ min: 0, max: 3 }) }).map((o) => local(o)),
  );

  it("chooses what selectNode chooses, and accounts for every other node exactly once", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(candidateArb, { selector: (c) => c.id, maxLength: 6 }),
        localArb,
        (candidates, me) => {
          const explained = explainAutoSelection(candidates, me);
          let picked: NodeCandidate | null = null;
          try {
            picked = selectNode(candidates, "auto", me);
          } catch (error) {
            expect(error).toBeInstanceOf(NodeUnavailableError);
          }
          expect(explained.chosen).toBe(picked);
          const all = [...candidates, ...(me ? [me] : [])];
          const accounted = [
            ...(explained.chosen ? [explained.chosen] : []),
            ...explained.passedOver.map((p) => p.node),
          ];
          expect(new Set(accounted).size).toBe(accounted.length);
          expect(new Set(accounted)).toEqual(new Set(all));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("chooseAuto's one pass picks the head of the ranking, ties and ineligible nodes included", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(candidateArb, { selector: (c) => c.id, maxLength: 8 }),
        localArb,
        (candidates, me) => {
          // The reference: every eligible node sorted by the ranking, the first one.
          const ranked = candidates.filter((c) => ineligibleCode(c) === null).sort(compareCandidates);
          const localUsable = me !== null && unavailableCode(me) === null;
          const expected = ranked[0] ?? (localUsable ? me : null);
          const choice = chooseAuto(candidates, me);
          expect(choice.chosen).toBe(expected);
          expect(choice.localFallback).toBe(ranked.length === 0 && localUsable);
          expect(choice.refusal === null).toBe(expected !== null);
          // The explanation lists the others in ranking order, each behind the chosen node.
          const losers = explainAutoSelection(candidates, me).passedOver.filter((p) =>
            p.code.startsWith("lost_"),
          );
          expect(losers.map((p) => p.node)).toEqual(ranked.slice(1));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
