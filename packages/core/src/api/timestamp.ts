// Times as the dashboard's API writes them: ISO-8601 UTC text. Shared by every answer's schema, so the
// OpenAPI document describes each timestamp the same way.
import { Type } from "@sinclair/typebox";

export const TimestampSchema = Type.String({ description: "ISO-8601 time" });
export const NullableTimestampSchema = Type.Union([TimestampSchema, Type.Null()]);
