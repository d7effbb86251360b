// Checks a value against one of the API's schemas outside HTTP (the admin CLI, services called
// directly), so those callers get the same shape rules as a request body, declared once here in core.
import type { TSchema } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { ValidationError } from "../errors.js";
import { patternRule } from "./request-fields.js";

/** Throws ValidationError naming the first field that does not fit the schema. */
export function assertShape(schema: TSchema, value: unknown, dataVar = "body"): void {
  const first = Value.Errors(schema, value).First();
  if (!first) return;
  const field =
    first.path
      .split("/")
      .slice(1)
      .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"))
      .join(".") || dataVar;
  const pattern = (first.schema as { pattern?: unknown }).pattern;
  const rule = typeof pattern === "string" ? patternRule(pattern) : undefined;
  throw new ValidationError(field, rule ?? first.message.replace(/^Expected/, "expected"));
}
