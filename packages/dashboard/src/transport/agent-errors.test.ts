// How a failed agent call is classified, with the real errors of the signed client over node:http
// against loopback servers: a timeout is said as one and never retried; a refused or dropped connection
// and a dial-out node that is not connected are retried; TLS spoken to a plain HTTP server is "tls".
import type { RequestListener } from "node:http";
import { AgentClient, AgentUnreachableError } from "@wgfleet/agent/client";
import { describe, expect, it } from "vitest";
import { useLoopbackServers } from "../../../../test/support/loopback-servers.js";
import { AgentNotConnectedError } from "../dial-out/agent-connections.js";
import { describeUnreachable, isRetryableFailure } from "./agent-errors.js";

const SECRET = "agent-errors-test-secret-0123456789";

describe("describeUnreachable and isRetryableFailure", () => {
  const servers = useLoopbackServers();

  async function listening(handler: RequestListener): Promise<string> {
    return new URL((await servers.listen(handler)).url).host;
  }

  async function failedCall(baseUrl: string, timeoutMs = 3_000): Promise<AgentUnreachableError> {
    const client = new AgentClient({ baseUrl, keyId: "abcd1234", secret: SECRET, timeoutMs });
    const error = await client.health().then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AgentUnreachableError);
    return error as AgentUnreachableError;
  }

  it("a timeout: said with the budget, never retried", async () => {
    const host = await listening(() => {
      // never answers
    });
    const error = await failedCall(`http://${host}`, 300);
    expect(describeUnreachable(error, 300)).toEqual({ kind: "timeout", message: "no answer within 0.3 s" });
    expect(isRetryableFailure(error, 300)).toBe(false);
  });

  it("nothing listening: refused, retried", async () => {
    const error = await failedCall(await servers.closedUrl());
    expect(describeUnreachable(error, 3_000)).toEqual({ kind: "refused", message: "connection refused" });
    expect(isRetryableFailure(error, 3_000)).toBe(true);
  });

  it("a connection dropped before the answer: a network failure, retried", async () => {
    const host = await listening((request) => request.socket.destroy());
    const error = await failedCall(`http://${host}`);
    expect(describeUnreachable(error, 3_000)).toEqual({
      kind: "network",
      message: "connection closed by the other side",
    });
    expect(isRetryableFailure(error, 3_000)).toBe(true);
  });

  it("https:// to a server speaking plain HTTP: a TLS failure, not retried", async () => {
    const host = await listening((_request, response) => response.end("plain"));
    const error = await failedCall(`https://${host}`);
    const reason = describeUnreachable(error, 3_000);
    expect(reason.kind).toBe("tls");
    expect(reason.message).toMatch(/wrong version number|packet length/i);
    expect(isRetryableFailure(error, 3_000)).toBe(false);
  });

  it("a dial-out node that is not connected: a network failure in its own words, retried", () => {
    const error = new AgentUnreachableError("agent dial-out://n unreachable", {
      cause: new AgentNotConnectedError("the agent dials out and is not connected to this dashboard now"),
    });
    expect(describeUnreachable(error.cause, 3_000)).toEqual({
      kind: "network",
      message: "the agent dials out and is not connected to this dashboard now",
    });
    expect(isRetryableFailure(error, 3_000)).toBe(true);
  });
});
