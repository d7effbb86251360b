// The client's conditional GETs against a stand-in server (fetch is replaced; the client is real): the
// last ETag goes back as If-None-Match, a 304 answers with the last body (fresh objects), a new 200
// replaces it, writes are never conditional, and signing out forgets every kept answer.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api, forgetAnswers } from "./client.js";

interface Seen {
  url: string;
  method: string;
  ifNoneMatch: string | null;
}

describe("conditional GETs", () => {
  let seen: Seen[];
  let answer: { status: number; body: string; etag?: string };
  beforeEach(() => {
    seen = [];
    forgetAnswers();
    vi.stubGlobal("fetch", async (url: string, init: RequestInit) => {
      const headers = new Headers(init.headers);
      seen.push({ url, method: init.method ?? "GET", ifNoneMatch: headers.get("if-none-match") });
      return new Response(answer.status === 304 ? null : answer.body, {
        status: answer.status,
        headers: { "content-type": "application/json", ...(answer.etag ? { etag: answer.etag } : {}) },
      });
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  const page = (rx: number) => JSON.stringify({ items: [{ id: "p1", rx }], nextCursor: null, total: 1 });

  it("sends the last ETag back and keeps the last answer on 304", async () => {
    answer = { status: 200, body: page(1), etag: 'W/"one"' };
    const first = await api.listPeers("corp", { limit: 100 });
    expect(seen[0]?.ifNoneMatch).toBeNull();

    answer = { status: 304, body: "", etag: 'W/"one"' };
    const second = await api.listPeers("corp", { limit: 100 });
    expect(seen[1]?.ifNoneMatch).toBe('W/"one"');
    expect(second).toEqual(first);
    expect(second).not.toBe(first); // parsed again: callers never share objects

    answer = { status: 200, body: page(2), etag: 'W/"two"' };
    expect((await api.listPeers("corp", { limit: 100 })).items[0]?.rx).toBe(2);
    answer = { status: 304, body: "" };
    expect((await api.listPeers("corp", { limit: 100 })).items[0]?.rx).toBe(2);
    expect(seen[3]?.ifNoneMatch).toBe('W/"two"');

    // Another query is another answer.
    answer = { status: 200, body: page(3), etag: 'W/"three"' };
    await api.listPeers("corp", { limit: 500, cursor: "x" });
    expect(seen[4]?.ifNoneMatch).toBeNull();
  });

  it("never makes a write conditional, and forgets everything on sign-out", async () => {
    answer = { status: 200, body: page(1), etag: 'W/"one"' };
    await api.listPeers("corp", { limit: 100 });
    answer = { status: 200, body: JSON.stringify({ id: "p1" }) };
    await api.disablePeer("p1");
    expect(seen[1]).toMatchObject({ method: "POST", ifNoneMatch: null });
    forgetAnswers();
    answer = { status: 200, body: page(1), etag: 'W/"one"' };
    await api.listPeers("corp", { limit: 100 });
    expect(seen[2]?.ifNoneMatch).toBeNull();
  });
});
