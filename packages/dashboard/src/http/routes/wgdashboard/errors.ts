// Failures in WGDashboard's envelope: a refusal (bad field, unknown peer) is `status: false` with a
// message, at the HTTP status WGDashboard uses (200 mostly); wgfleet's own refusals (validation,
// conflicts, a full pool, a node that failed) likewise with their message; anything else a 500.
import { WgFleetError } from "@wgfleet/core";
import type { FastifyError } from "fastify";
import { WgdRefusal } from "../../../wgdashboard/envelope.js";
import type { TypedApp } from "../../types.js";

export function registerWgdErrors(app: TypedApp): void {
  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    if (error instanceof WgdRefusal) {
      return reply.code(error.httpStatus).send({ status: false, message: error.message, data: null });
    }
    if (error instanceof WgFleetError) {
      // A node's failure is not the caller's: WGDashboard's callers retry on status false.
      const status = error.status >= 500 ? error.status : 200;
      return reply.code(status).send({ status: false, message: error.message, data: null });
    }
    const statusCode = (error as FastifyError).statusCode;
    if (statusCode !== undefined && statusCode >= 400 && statusCode < 500) {
      return reply.code(400).send({ status: false, message: error.message, data: null });
    }
    request.log.error({ err: error }, "WGDashboard API call failed");
    return reply.code(500).send({ status: false, message: "Internal error", data: null });
  });
}
