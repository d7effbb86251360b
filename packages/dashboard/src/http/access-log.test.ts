// The access log: exactly one line per request, with method, path, status and duration; the query
// string never; probes and scrapes at debug, the rest at info.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../../../test/support/databases.js";
import { createTestApp, type TestApp } from "./test-support/test-app.js";

const DEBUG = 20;
const INFO = 30;

interface Line {
  level: number;
  msg: string;
  reqId?: string;
  method?: string;
  path?: string;
  status?: number;
  ms?: number;
}

describe("access log", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(await openTestDatabase("sqlite"), {
      config: { metricsToken: "scrape-token-123" },
    });
  });
  afterAll(async () => t?.close());

  /** The access-log lines written while `run` ran. */
  async function linesOf(run: () => Promise<unknown>): Promise<Line[]> {
    const from = t.logs.length;
    await run();
    return t.logs
      .slice(from)
      .map((text) => JSON.parse(text) as Line)
      .filter((line) => line.msg === "request");
  }

  it("writes one info line per API request, without the query string", async () => {
    const lines = await linesOf(() =>
      t.app.inject({
        method: "GET",
        url: "/api/v1/users?code=one-time-secret-42",
        headers: t.bearer(t.adminKey),
      }),
    );
    expect(lines).toHaveLength(1);
    const [line] = lines as [Line];
    expect(line).toMatchObject({ level: INFO, method: "GET", path: "/api/v1/users", status: 200 });
    expect(typeof line.ms).toBe("number");
    expect(line.reqId).toMatch(/^[0-9a-f-]{36}$/);
    expect(t.logs.join("\n")).not.toContain("one-time-secret-42");
  });

  it("logs refusals at info with their status", async () => {
    const lines = await linesOf(() => t.app.inject({ method: "GET", url: "/api/v1/users" }));
    expect(lines).toEqual([expect.objectContaining({ level: INFO, path: "/api/v1/users", status: 401 })]);
  });

  it("logs probes and scrapes at debug", async () => {
    for (const url of ["/healthz", "/readyz", "/metrics"]) {
      const lines = await linesOf(() =>
        t.app.inject({ method: "GET", url, headers: { authorization: "Bearer scrape-token-123" } }),
      );
      expect(lines, url).toEqual([expect.objectContaining({ level: DEBUG, path: url, status: 200 })]);
    }
  });

  it("logs a route whose URL carries a secret by its template", async () => {
    const lines = await linesOf(() => t.app.inject({ method: "GET", url: "/s/not-a-real-share-token-xyz" }));
    expect(lines).toHaveLength(1);
    expect(lines[0]?.level).toBe(INFO);
    expect(lines[0]?.path).not.toContain("not-a-real-share-token-xyz");
  });
});
