// The alert rules by themselves: which facts make which condition hold, at the thresholds' edges.
import { DEFAULT_ALERT_SETTINGS } from "@wgfleet/core";
import { expect, it } from "vitest";
import { type AlertFacts, conditionsOf } from "./alert-conditions.js";

const facts = (extra: Partial<AlertFacts> = {}): AlertFacts => ({
  nodes: [],
  pools: [],
  driftRepairs: new Map(),
  handshakes: { withHandshake: 0, stale: 0 },
  ...extra,
});
const kinds = (f: AlertFacts, settings = DEFAULT_ALERT_SETTINGS) =>
  conditionsOf(f, settings).map((c) => `${c.kind} ${c.subject}`);

it("fires for enabled offline and degraded nodes only", () => {
  const node = (id: string, status: "online" | "offline" | "degraded" | "unknown", enabled = true) => ({
    id,
    name: id,
    enabled,
    status,
    reason: null,
  });
  expect(
    kinds(
      facts({
        nodes: [
          node("a", "online"),
          node("b", "offline"),
          node("c", "degraded"),
          node("d", "offline", false),
          node("e", "unknown"),
        ],
      }),
    ),
  ).toEqual(["node.offline b", "node.degraded c"]);
});

it("says the node's status once in the summary", () => {
  const [condition] = conditionsOf(
    facts({
      nodes: [{ id: "a", name: "edge", enabled: true, status: "offline", reason: "offline: refused" }],
    }),
    DEFAULT_ALERT_SETTINGS,
  );
  expect(condition?.summary).toBe("node edge is offline: refused");
});

it("fires pool.full at the threshold, not below", () => {
  const pool = (used: number) => ({
    nodeId: "n",
    nodeName: "n",
    interfaceId: "i",
    interface: "wg0",
    configuration: "c",
    pool: "198.51.100.0/28",
    total: 13,
    used,
  });
  // 12 / 13 = 92 %, 11 / 13 = 84.6 %.
  expect(kinds(facts({ pools: [pool(12)] }))).toEqual(["pool.full i/198.51.100.0/28"]);
  expect(kinds(facts({ pools: [pool(11)] }))).toEqual([]);
  expect(
    kinds(facts({ pools: [pool(11)] }), { ...DEFAULT_ALERT_SETTINGS, poolFullPercent: 80 }),
  ).toHaveLength(1);
});

it("fires drift.repairs from the threshold up, and handshakes.stale above the share only", () => {
  expect(
    kinds(
      facts({
        driftRepairs: new Map([
          ["a", 2],
          ["b", 3],
        ]),
      }),
    ),
  ).toEqual(["drift.repairs b"]);
  expect(kinds(facts({ handshakes: { withHandshake: 4, stale: 2 } }))).toEqual([]);
  expect(kinds(facts({ handshakes: { withHandshake: 4, stale: 3 } }))).toEqual(["handshakes.stale fleet"]);
  expect(
    kinds(facts({ handshakes: { withHandshake: 0, stale: 0 } }), {
      ...DEFAULT_ALERT_SETTINGS,
      staleHandshakePercent: 1,
    }),
  ).toEqual([]);
});
