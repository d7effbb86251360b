// Endpoints clients connect to: the warnings shown next to one (single-label name, loopback, private
// or special-purpose address; see ip/endpoint-host.ts), the check the web app asks for while an admin
// types one, and the guesses it pre-fills the first-run question with.
import { type Static, Type } from "@sinclair/typebox";

export const EndpointWarningSchema = Type.Object({
  kind: Type.Union([
    Type.Literal("single-label"),
    Type.Literal("local-name"),
    Type.Literal("loopback"),
    Type.Literal("private"),
    Type.Literal("special-purpose"),
  ]),
  /** A sentence for the admin, naming the host. */
  message: Type.String(),
});
export type EndpointWarningDto = Static<typeof EndpointWarningSchema>;

/** `POST /api/v1/endpoints/check`: an endpoint or bare host as an admin typed it. */
export const EndpointCheckBodySchema = Type.Object(
  {
    endpoint: Type.String({ minLength: 1, maxLength: 270, description: "host, or host:port" }),
    listenPort: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 65535, description: "the port a bare host takes" }),
    ),
  },
  { additionalProperties: false },
);
export type EndpointCheckBody = Static<typeof EndpointCheckBodySchema>;

/** A text that is no host or endpoint is answered (200) with `problem`, so typing never logs an error. */
export const EndpointCheckDtoSchema = Type.Object({
  host: Type.Union([Type.String(), Type.Null()]),
  /** The port given, else `listenPort`, else null. */
  port: Type.Union([Type.Integer(), Type.Null()]),
  /** host:port as clients will get it, when a port is known. */
  endpoint: Type.Union([Type.String(), Type.Null()]),
  warnings: Type.Array(EndpointWarningSchema),
  /** Why the text is no host or host:port (what saving it would answer with a 400), or null. */
  problem: Type.Union([Type.String(), Type.Null()]),
});
export type EndpointCheckDto = Static<typeof EndpointCheckDtoSchema>;

/** `GET /api/v1/endpoints/guesses`: hosts this server may be reached at, the likeliest public one first. */
export const EndpointGuessesDtoSchema = Type.Object({
  guesses: Type.Array(
    Type.Object({
      host: Type.String(),
      source: Type.Union([Type.Literal("request"), Type.Literal("address"), Type.Literal("hostname")], {
        description:
          "request: the host the browser used to reach the dashboard; address: one of this machine's addresses; hostname: its name",
      }),
      warnings: Type.Array(EndpointWarningSchema),
    }),
  ),
});
export type EndpointGuessesDto = Static<typeof EndpointGuessesDtoSchema>;
