// `GET|POST /api/v1/configurations/:name/peers/configs.zip`: the client configs of chosen peers in one
// zip. GET names the ids in the query (comma-separated, handy for a link); POST sends them as a list,
// for selections too long for a URL. At most MAX_ZIP_PEERS ids either way.
import { type Static, Type } from "@sinclair/typebox";
import { IdText } from "./request-fields.js";

export const MAX_ZIP_PEERS = 10_000;
/** Ids are at most 100 characters (IdText), plus one comma each. */
const MAX_IDS_TEXT = MAX_ZIP_PEERS * 101;

export const PeerConfigsZipQuerySchema = Type.Object(
  {
    ids: Type.String({
      minLength: 1,
      maxLength: MAX_IDS_TEXT,
      description: `comma-separated peer ids, at most ${MAX_ZIP_PEERS}`,
    }),
  },
  { additionalProperties: false },
);
export type PeerConfigsZipQuery = Static<typeof PeerConfigsZipQuerySchema>;

export const PeerConfigsZipBodySchema = Type.Object(
  {
    ids: Type.Array(IdText("a peer id"), {
      minItems: 1,
      maxItems: MAX_ZIP_PEERS,
      description: `peer ids, at most ${MAX_ZIP_PEERS}`,
    }),
  },
  { additionalProperties: false },
);
export type PeerConfigsZipBody = Static<typeof PeerConfigsZipBodySchema>;

/** The ids of a GET query: split on commas, blanks dropped. */
export function splitPeerIds(text: string): string[] {
  return text
    .split(",")
    .map((id) => id.trim())
    .filter((id) => id.length > 0);
}
