// Reads a request body as raw bytes (the signature covers the exact bytes) with a hard size limit, so a
// huge body is refused before it is buffered. Parses JSON only after the signature was checked.
import type { IncomingMessage } from "node:http";
import { ValidationError, WgFleetError } from "@wgfleet/core";

/** A body over the route's limit: answered 413, naming the limit. */
export class BodyTooLargeError extends WgFleetError {
  readonly httpStatus = 413;

  constructor(limit: number) {
    super("VALIDATION", `body: request body is larger than this route's limit of ${limit} bytes`, "body");
  }
}

export function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(request.headers["content-length"] ?? "0");
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new BodyTooLargeError(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    request.on("data", (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        chunks.length = 0;
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => {
      if (done) return;
      done = true;
      resolve(Buffer.concat(chunks, size));
    });
    request.on("error", (error) => {
      if (done) return;
      done = true;
      reject(error);
    });
    request.on("close", () => {
      if (done) return;
      done = true;
      reject(new Error("client closed the connection before the body was complete"));
    });
  });
}

/** The body as JSON; an empty body is `undefined`. */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString("utf8"));
  } catch (error) {
    throw new ValidationError("body", `is not valid JSON (${(error as Error).message})`);
  }
}
