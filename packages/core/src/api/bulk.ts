// Many peers at once: N new peers named `<prefix>-001…` spread over a configuration's nodes, one action
// (enable, disable, delete, move) on chosen peers, and CSV export and import of a configuration's peers.
// The answers list what was done per peer and what failed per node: a node that fails loses only its part.
import { type Static, Type } from "@sinclair/typebox";
import { MOVE_GRACE_MAX_HOURS } from "./move.js";
import { PEER_STATUS_FILTERS, PeerDescriptionSchema, PeerDtoSchema, peerSettings } from "./peer.js";
import { IdText } from "./request-fields.js";

export const MAX_BULK_CREATE = 1000;
/** Peers one bulk action or CSV import handles. */
export const MAX_BULK_PEERS = 10_000;

/** `POST /api/v1/configurations/:name/peers/bulk`. */
export const BulkCreatePeersBodySchema = Type.Object(
  {
    count: Type.Integer({ minimum: 1, maximum: MAX_BULK_CREATE, description: "how many peers" }),
    namePrefix: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'the peers are named "<prefix>-001", "<prefix>-002", …',
    }),
    node: Type.Optional(IdText('"auto" (default: spread by the normal selection), "local" or a node id')),
    description: Type.Optional(PeerDescriptionSchema),
    presharedKey: Type.Optional(Type.Boolean({ description: "true (default): one generated per peer" })),
    ...peerSettings,
  },
  { additionalProperties: false },
);
export type BulkCreatePeersBody = Static<typeof BulkCreatePeersBodySchema>;

/** A node whose part of a bulk creation or import was rolled back. */
export const BulkNodeFailureSchema = Type.Object({
  node: Type.String(),
  /** How many peers were meant for it (none of them exists). */
  peers: Type.Integer(),
  message: Type.String(),
});
export type BulkNodeFailure = Static<typeof BulkNodeFailureSchema>;

export const BulkCreatePeersResultSchema = Type.Object({
  created: Type.Array(PeerDtoSchema),
  failures: Type.Array(BulkNodeFailureSchema),
});
export type BulkCreatePeersResult = Static<typeof BulkCreatePeersResultSchema>;

export const BULK_PEER_ACTIONS = ["enable", "disable", "delete", "move"] as const;
export type BulkPeerAction = (typeof BULK_PEER_ACTIONS)[number];

/** Which peers a bulk action takes when no ids are given. */
export const BulkPeerFilterSchema = Type.Object(
  {
    configuration: IdText("the configuration's name"),
    node: Type.Optional(IdText("only peers on this node")),
    state: Type.Optional(Type.Union(PEER_STATUS_FILTERS.map((s) => Type.Literal(s)))),
    search: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type BulkPeerFilter = Static<typeof BulkPeerFilterSchema>;

/** `POST /api/v1/peers/bulk`: `ids` or `filter`, not both. */
export const BulkPeerActionBodySchema = Type.Object(
  {
    ids: Type.Optional(Type.Array(IdText("a peer id"), { minItems: 1, maxItems: MAX_BULK_PEERS })),
    filter: Type.Optional(BulkPeerFilterSchema),
    action: Type.Union(BULK_PEER_ACTIONS.map((a) => Type.Literal(a))),
    node: Type.Optional(IdText('move: the target node id or "auto"')),
    graceHours: Type.Optional(
      Type.Number({ minimum: 0, maximum: MOVE_GRACE_MAX_HOURS, description: "move: as for one peer" }),
    ),
  },
  { additionalProperties: false },
);
export type BulkPeerActionBody = Static<typeof BulkPeerActionBodySchema>;

export const BulkPeerResultSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  ok: Type.Boolean(),
  /** The node the peer is on after the action (move: the target). */
  node: Type.Union([Type.String(), Type.Null()]),
  error: Type.Optional(Type.String()),
});
export type BulkPeerResult = Static<typeof BulkPeerResultSchema>;

export const BulkPeerActionResultSchema = Type.Object({
  action: Type.String(),
  succeeded: Type.Integer(),
  failed: Type.Integer(),
  results: Type.Array(BulkPeerResultSchema),
});
export type BulkPeerActionResult = Static<typeof BulkPeerActionResultSchema>;

/** `POST /api/v1/configurations/:name/peers/import.csv`. */
export const PeerCsvImportQuerySchema = Type.Object(
  {
    partial: Type.Optional(
      Type.Boolean({ description: "true: create the good rows and list the bad ones; default false" }),
    ),
  },
  { additionalProperties: false },
);
export type PeerCsvImportQuery = Static<typeof PeerCsvImportQuerySchema>;

/** One refused CSV row: its line in the file (the header is line 1) and the field at fault. */
export const CsvRowErrorSchema = Type.Object({
  line: Type.Integer(),
  field: Type.String(),
  message: Type.String(),
});
export type CsvRowError = Static<typeof CsvRowErrorSchema>;

export const PeerCsvImportResultSchema = Type.Object({
  created: Type.Array(PeerDtoSchema),
  /** Rows left out (only with partial=true; otherwise any bad row is a 400 and nothing is created). */
  errors: Type.Array(CsvRowErrorSchema),
  failures: Type.Array(BulkNodeFailureSchema),
});
export type PeerCsvImportResult = Static<typeof PeerCsvImportResultSchema>;

/** The 400 of an import with bad rows: the usual error body plus every row's error. */
export const PeerCsvRowsErrorSchema = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    field: Type.Optional(Type.String()),
  }),
  rows: Type.Optional(Type.Array(CsvRowErrorSchema)),
});
