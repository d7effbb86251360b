// The unsigned first step of a node's diagnosis (GET /livez) against loopback servers: nothing
// listening, something that is not an agent, a redirect (never followed) and an answer too long for
// "ok" are each named as such before any signed call.
import type { RequestListener } from "node:http";
import { describe, expect, it } from "vitest";
import { useLoopbackServers } from "../../../../test/support/loopback-servers.js";
import { diagnoseAgent } from "./node-diagnosis.js";

const OPTIONS = { timeoutMs: 2000, maxClockSkewMs: 30_000, dashboardVersion: "0.0.0" };
const target = (agentUrl: string) => ({ agentUrl, keyId: "k", secret: "s".repeat(32) });

describe("an agent URL that does not lead to an agent", () => {
  const servers = useLoopbackServers();

  async function listening(handler: RequestListener): Promise<{ url: string; hits: string[] }> {
    const hits: string[] = [];
    const { url } = await servers.listen((request, response) => {
      hits.push(request.url ?? "");
      handler(request, response);
    });
    return { url, hits };
  }

  it("nothing listening: unreachable, connection refused, asks whether the agent runs", async () => {
    const url = await servers.closedUrl();
    const diagnosis = await diagnoseAgent(target(url), OPTIONS);
    expect(diagnosis).toMatchObject({ problem: "unreachable", url: "failed", secret: "not checked" });
    expect(diagnosis.message).toMatch(/unreachable: connection refused; is the agent running/);
  });

  it("another server: not an agent, with the status it answered; nothing signed is sent", async () => {
    const { url, hits } = await listening((_request, response) => response.writeHead(404).end("no"));
    const diagnosis = await diagnoseAgent(target(`${url}/agent`), OPTIONS);
    expect(diagnosis).toMatchObject({ problem: "not_an_agent", url: "failed" });
    expect(diagnosis.message).toContain("GET /agent/livez answered 404");
    expect(hits).toEqual(["/agent/livez"]);
  });

  it("a redirect is not followed: not an agent", async () => {
    const elsewhere = await listening((_request, response) => response.end("ok"));
    const { url } = await listening((_request, response) =>
      response.writeHead(302, { location: `${elsewhere.url}/livez` }).end(),
    );
    const diagnosis = await diagnoseAgent(target(url), OPTIONS);
    expect(diagnosis.problem).toBe("not_an_agent");
    expect(diagnosis.message).toContain("answered 302");
    expect(elsewhere.hits).toEqual([]);
  });

  it("an answer longer than an agent's 'ok': not an agent", async () => {
    const { url } = await listening((_request, response) => response.end("x".repeat(5_000)));
    const diagnosis = await diagnoseAgent(target(url), OPTIONS);
    expect(diagnosis.problem).toBe("not_an_agent");
    expect(diagnosis.message).toContain("answered more than 1024 bytes");
  });
});
