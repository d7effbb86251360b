// Traffic statistics as the dashboard's API answers with them (`GET /api/v1/stats/traffic`): the rate
// measured by the latest stats polls and the bytes moved since the start of the day, for the whole
// fleet and per node. Byte counts already survive counter resets (the dashboard's poller stores deltas).
// Also the query that asks for them.
import { type Static, Type } from "@sinclair/typebox";
import { NullableTimestampSchema, TimestampSchema } from "./timestamp.js";

/** Bytes per second over the latest poll interval; 0 when nothing is measured now. */
export const TrafficRateDtoSchema = Type.Object({
  rxBytesPerSecond: Type.Number({ minimum: 0, description: "received from peers, bytes per second" }),
  txBytesPerSecond: Type.Number({ minimum: 0, description: "sent to peers, bytes per second" }),
});
export type TrafficRateDto = Static<typeof TrafficRateDtoSchema>;

export const TrafficTotalsDtoSchema = Type.Object({
  rxBytes: Type.Integer({ minimum: 0, description: "received from peers" }),
  txBytes: Type.Integer({ minimum: 0, description: "sent to peers" }),
});
export type TrafficTotalsDto = Static<typeof TrafficTotalsDtoSchema>;

/** One stored sample bucket: the bytes moved in the bucket that starts at `at`. */
export const TrafficPointDtoSchema = Type.Object({
  at: TimestampSchema,
  rxBytes: Type.Integer({ minimum: 0 }),
  txBytes: Type.Integer({ minimum: 0 }),
});
export type TrafficPointDto = Static<typeof TrafficPointDtoSchema>;

/** What `GET /api/v1/stats/traffic?scope=` reads the history of. */
export const TrafficScopeSchema = Type.Union([
  Type.Literal("peer"),
  Type.Literal("interface"),
  Type.Literal("node"),
  Type.Literal("configuration"),
  Type.Literal("fleet"),
]);
export const TRAFFIC_SCOPES = ["peer", "interface", "node", "configuration", "fleet"] as const;
export type TrafficScope = (typeof TRAFFIC_SCOPES)[number];

/** Point widths. Minutes are kept 7 days, hours 90 days, days 2 years (by default; settings). */
export const TRAFFIC_STEPS = ["auto", "1m", "5m", "15m", "1h", "6h", "1d"] as const;
export type TrafficStep = (typeof TRAFFIC_STEPS)[number];

/** At most this many points in one history answer; a finer step is refused with 400 `step`. */
export const MAX_TRAFFIC_POINTS = 1000;

export const TrafficHistoryDtoSchema = Type.Object({
  scope: TrafficScopeSchema,
  /** null for the fleet. */
  id: Type.Union([Type.String(), Type.Null()]),
  from: TimestampSchema,
  to: TimestampSchema,
  /** The step used (auto resolved) and its width in seconds. */
  step: Type.Union([
    Type.Literal("1m"),
    Type.Literal("5m"),
    Type.Literal("15m"),
    Type.Literal("1h"),
    Type.Literal("6h"),
    Type.Literal("1d"),
  ]),
  stepSeconds: Type.Integer({ minimum: 60 }),
  /** Points with traffic, oldest first; a missing point moved nothing. At most 1,000. */
  points: Type.Array(TrafficPointDtoSchema, { maxItems: MAX_TRAFFIC_POINTS }),
  /** scope peer: the distinct latest-handshake times seen in the range, oldest first (at most 1,000). */
  handshakes: Type.Optional(Type.Array(TimestampSchema)),
});
export type TrafficHistoryDto = Static<typeof TrafficHistoryDtoSchema>;

export const NodeTrafficDtoSchema = Type.Object({
  nodeId: Type.String(),
  now: TrafficRateDtoSchema,
  today: TrafficTotalsDtoSchema,
});
export type NodeTrafficDto = Static<typeof NodeTrafficDtoSchema>;

export const TrafficDtoSchema = Type.Object({
  /** The node asked for (`?node=`), or null for the whole fleet. */
  node: Type.Union([Type.String(), Type.Null()]),
  /** When this answer was computed. */
  at: TimestampSchema,
  /** The start of "today": the server's local midnight unless the request named one (`?todayStart=`). */
  todayStart: TimestampSchema,
  /** The last stats poll that measured a rate, or null when none has yet. */
  measuredAt: NullableTimestampSchema,
  /** Width of one stored sample bucket (and of one series point), seconds. */
  sampleSeconds: Type.Integer({ minimum: 1 }),
  now: TrafficRateDtoSchema,
  today: TrafficTotalsDtoSchema,
  /** Every node (only the one asked for with `?node=`), with its own rate and today's bytes. */
  nodes: Type.Array(NodeTrafficDtoSchema),
  /** With `?series=true`: the sample buckets since todayStart that moved any bytes, oldest first. */
  series: Type.Optional(Type.Array(TrafficPointDtoSchema)),
  /** With `?scope=`: the traffic history asked for. */
  history: Type.Optional(TrafficHistoryDtoSchema),
});
export type TrafficDto = Static<typeof TrafficDtoSchema>;

/** `GET /api/v1/stats/traffic`. */
export const TrafficQuerySchema = Type.Object(
  {
    node: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: "one node's traffic only" }),
    ),
    todayStart: Type.Optional(
      Type.String({
        maxLength: 40,
        pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})$",
        description:
          "ISO-8601 time with zone where 'today' starts (the caller's local midnight; within the last 48 h); default the server's local midnight",
      }),
    ),
    series: Type.Optional(Type.Boolean({ description: "also the per-minute samples since todayStart" })),
    scope: Type.Optional(
      Type.Union(
        TRAFFIC_SCOPES.map((s) => Type.Literal(s)),
        {
          description:
            "with scope: also `history`, the traffic of one peer, interface, node, configuration or the fleet",
        },
      ),
    ),
    id: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: "the peer, interface or node id, or the configuration name (not for fleet)",
      }),
    ),
    from: Type.Optional(
      Type.String({ maxLength: 40, description: "ISO-8601 time; default `to` minus a day" }),
    ),
    to: Type.Optional(Type.String({ maxLength: 40, description: "ISO-8601 time; default now" })),
    step: Type.Optional(
      Type.Union(
        TRAFFIC_STEPS.map((s) => Type.Literal(s)),
        {
          description: "point width; auto (default): the finest that gives at most 1,000 points",
        },
      ),
    ),
  },
  { additionalProperties: false },
);
export type TrafficQuery = Static<typeof TrafficQuerySchema>;
