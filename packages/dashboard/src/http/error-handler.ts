// The one place errors become HTTP answers. WgFleetError → its status and body; Fastify's own client
// errors (bad JSON, wrong content type, body too large) → 400 VALIDATION on "body"; anything else →
// 500 with a generic message and the request id, the details only in the log (never a secret: only
// the error's type, message, code and stack are logged).
import { NotFoundError, ValidationError, WgFleetError } from "@wgfleet/core";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { LoginRateLimitedError } from "../auth/login-rate-limiter.js";
import type { TypedApp } from "./types.js";

export interface InternalErrorBody {
  error: { code: "INTERNAL"; message: string };
}

export function registerErrorHandling(app: TypedApp): void {
  app.setErrorHandler((error: FastifyError | Error, request, reply) => sendError(error, request, reply));
  app.setNotFoundHandler((request, reply) => {
    const error = new NotFoundError(`route ${request.method} ${request.url.split("?")[0]}`);
    return reply.code(error.status).send(error.toBody());
  });
}

function sendError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof WgFleetError) {
    if (error instanceof LoginRateLimitedError) reply.header("retry-after", String(error.retryAfterSeconds));
    if (error.status >= 500) logFailure(request, error, "warn");
    return reply.code(error.status).send(error.toBody());
  }
  const status = (error as FastifyError).statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    const clientError =
      status === 404 ? new NotFoundError("route") : new ValidationError("body", clientMessage(error));
    return reply.code(clientError.status).send(clientError.toBody());
  }
  logFailure(request, error, "error");
  const body: InternalErrorBody = {
    error: { code: "INTERNAL", message: `internal error (request id ${request.id})` },
  };
  return reply.code(500).send(body);
}

function clientMessage(error: FastifyError | Error): string {
  const code = (error as FastifyError).code;
  if (code === "FST_ERR_CTP_BODY_TOO_LARGE") return "is too large";
  if (code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") return "must be application/json";
  if (code === "FST_ERR_CTP_EMPTY_JSON_BODY") return "must not be empty when the content type is JSON";
  if (code === "FST_ERR_CTP_INVALID_JSON_BODY" || error instanceof SyntaxError) return "is not valid JSON";
  return "is not a valid request";
}

function logFailure(request: FastifyRequest, error: Error, level: "warn" | "error"): void {
  const err = {
    type: error.name,
    message: error.message,
    code: (error as { code?: unknown }).code,
    stack: error.stack,
  };
  request.log[level]({ err, route: request.routeOptions.url }, "request failed");
}
