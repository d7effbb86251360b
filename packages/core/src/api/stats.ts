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
  },
  { additionalProperties: false },
);
export type TrafficQuery = Static<typeof TrafficQuerySchema>;
