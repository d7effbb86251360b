// Schemas shared by every area: the error body ({error: {code, message, field?}}), common params, and the helpers that attach
// error answers to a route's response map (so the OpenAPI document shows them).
import { type TSchema, Type } from "@sinclair/typebox";

export const ErrorBodySchema = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: "VALIDATION, NOT_FOUND, CONFLICT, ..., or INTERNAL" }),
      message: Type.String(),
      field: Type.Optional(Type.String()),
    }),
  },
  { title: "ErrorBody", description: "Every error answer" },
);

/** `{ 400: ErrorBody, 401: ..., ... }` for the statuses a route can answer with besides success. */
export function errorResponses(...statuses: number[]): Record<number, TSchema> {
  const all = statuses.length > 0 ? statuses : [400, 401, 403, 404];
  return Object.fromEntries(all.map((status) => [status, ErrorBodySchema]));
}

export const IdParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);

export const NoContent = Type.Null({ description: "No content" });
