// Traffic statistics as the API shows them (the answer is declared in @wgfleet/core, shared with the
// web app), and the query of `GET /api/v1/stats/traffic`.
import { Type } from "@sinclair/typebox";

export { TrafficDtoSchema as TrafficSchema } from "@wgfleet/core";

export const TrafficQuery = Type.Object(
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
