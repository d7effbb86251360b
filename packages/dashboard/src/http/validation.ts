// Request validation: two Ajv instances, one per kind of input. Bodies are JSON, so nothing is coerced
// ("5" stays a string and fails an integer field) and unknown fields fail `additionalProperties: false`
// instead of being dropped. Query strings and path parameters are text, so numbers there are coerced.
// Every schema failure becomes ValidationError(field, ...) with the field as the error body names it (e.g. peers[3].allowedIps[0])
// and a sentence for people (schema-messages.ts); `verbose` gives that sentence the schema's limits.
import AjvCompiler from "@fastify/ajv-compiler";
import { ValidationError } from "@wgfleet/core";
import type { FastifySchemaValidationError } from "fastify";
import { type SchemaFailure, schemaSentence } from "./schema-messages.js";

type ValidatorFactory = ReturnType<typeof AjvCompiler>;
/** Which part of the request failed (Fastify's SchemaErrorDataVar). */
export type SchemaErrorDataVar = "body" | "headers" | "params" | "querystring";

const SHARED = { removeAdditional: false, useDefaults: true, allErrors: false, verbose: true } as const;
const BODY_OPTIONS = { ...SHARED, coerceTypes: false } as const;
const TEXT_OPTIONS = { ...SHARED, coerceTypes: "array" } as const;

/** Fastify's `schemaController.compilersFactory.buildValidator`: body vs. text inputs. */
export function buildValidatorFactory(): ValidatorFactory {
  const pool = AjvCompiler();
  return (externalSchemas, options) => {
    const customOptions = options && "customOptions" in options ? options.customOptions : undefined;
    const forBody = pool(externalSchemas, { customOptions: { ...customOptions, ...BODY_OPTIONS } });
    const forText = pool(externalSchemas, { customOptions: { ...customOptions, ...TEXT_OPTIONS } });
    return (route) => (route.httpPart === "body" ? forBody(route) : forText(route));
  };
}

/** Fastify's `schemaErrorFormatter`: the first Ajv error as a ValidationError naming the field. */
export function formatSchemaErrors(
  errors: FastifySchemaValidationError[],
  dataVar: SchemaErrorDataVar,
): Error {
  const first = errors[0];
  if (!first) return new ValidationError(dataVar, "is invalid");
  const { field, message } = describeSchemaError(first, dataVar);
  if (first.keyword === "const") {
    // A union of literals (Type.Union([Type.Literal("a"), ...])) fails once per branch: list them all.
    const allowed = errors
      .filter((e) => e.keyword === "const" && e.instancePath === first.instancePath)
      .map((e) => JSON.stringify((e.params as { allowedValue?: unknown }).allowedValue));
    return new ValidationError(field, `Choose one of ${allowed.join(", ")}.`);
  }
  return new ValidationError(field, message);
}

export function describeSchemaError(
  error: FastifySchemaValidationError,
  dataVar: SchemaErrorDataVar,
): { field: string; message: string } {
  const path = pointerToPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const field =
    error.keyword === "required"
      ? joinPath(path, String(params.missingProperty))
      : error.keyword === "additionalProperties"
        ? joinPath(path, String(params.additionalProperty))
        : path || dataVar;
  if (error.keyword === "additionalProperties") return { field, message: "is not a known field" };
  const failure: SchemaFailure = {
    keyword: error.keyword,
    params,
    parentSchema: (error as { parentSchema?: Record<string, unknown> }).parentSchema,
  };
  return { field, message: schemaSentence(failure, field) ?? error.message ?? "is invalid" };
}

/** "/peers/3/allowedIps/0" → "peers[3].allowedIps[0]" (JSON pointer escapes undone). */
export function pointerToPath(pointer: string): string {
  if (!pointer) return "";
  return pointer
    .split("/")
    .slice(1)
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : joinPath(path, segment)), "");
}

function joinPath(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}
