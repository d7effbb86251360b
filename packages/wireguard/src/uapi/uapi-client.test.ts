// The UAPI client against a stand-in for wireguard-go's control socket in a temporary folder: like
// wireguard-go, it answers each request and keeps the connection open for the next one, so the client
// must finish on the `errno=N` line, not on the close, and can send the next request on the same
// connection. Real wireguard-go: system-driver.test.ts.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateKeyPair } from "@wgfleet/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { UapiError } from "../errors.js";
import { socketPath, UapiSockets, uapiGet, uapiSet } from "./uapi-client.js";
import { endsWithErrno, isSocketGone, UapiConnection, UapiSocketError } from "./uapi-connection.js";
import { keyToHex } from "./uapi-text.js";

const NAME = "wdu0";

/** Answers each request (ended by a blank line) with `answer(request)`, written in `pieces` parts. */
function fakeWireGuardGo(path: string, answer: (request: string) => string, pieces = 1) {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer({ allowHalfOpen: true }, (socket) => {
    connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    let buffered = "";
    socket.on("data", (chunk) => {
      buffered += chunk.toString("utf8");
      const end = buffered.indexOf("\n\n");
      if (end < 0) return;
      const request = buffered.slice(0, end + 2);
      buffered = buffered.slice(end + 2);
      requests.push(request);
      const text = answer(request);
      const size = Math.ceil(text.length / pieces);
      for (let i = 0; i < text.length; i += size) socket.write(text.slice(i, i + size));
      // Deliberately no end(): wireguard-go waits for the next request on the same connection.
    });
  });
  return {
    requests,
    connections: () => connections,
    /** Drops every open connection, as wireguard-go does after a failed set or when it restarts. */
    dropConnections: () => {
      for (const socket of sockets) socket.destroy();
    },
    listen: () => new Promise<void>((resolve) => server.listen(path, resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe("UAPI client", () => {
  let dir: string;
  let path: string;
  let server: ReturnType<typeof fakeWireGuardGo> | undefined;
  let connection: UapiConnection;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "wgfleet-uapi-"));
    path = socketPath(dir, NAME);
    connection = new UapiConnection(path, NAME);
  });

  afterEach(async () => {
    connection.close();
    await server?.close();
    server = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it("finishes a set on its errno answer and sends the next request on the same connection", async () => {
    server = fakeWireGuardGo(path, () => "errno=0\n\n");
    await server.listen();
    await uapiSet(connection, ["listen_port=51820"]);
    await uapiSet(connection, ["listen_port=51821"]);
    expect(server.requests).toEqual(["set=1\nlisten_port=51820\n\n", "set=1\nlisten_port=51821\n\n"]);
    expect(server.connections()).toBe(1);
  });

  it("runs requests made at once one after another on the one connection", async () => {
    server = fakeWireGuardGo(path, (request) => `listen_port=${request.length}\nerrno=0\n\n`);
    await server.listen();
    const devices = await Promise.all([
      uapiGet(connection),
      uapiSet(connection, ["x=1"]),
      uapiGet(connection),
    ]);
    expect(devices[0]?.listenPort).toBe(7);
    expect(devices[2]?.listenPort).toBe(7);
    expect(server.requests).toEqual(["get=1\n\n", "set=1\nx=1\n\n", "get=1\n\n"]);
    expect(server.connections()).toBe(1);
  });

  it("connects again when the kept connection was closed while idle", async () => {
    server = fakeWireGuardGo(path, () => "errno=0\n\n");
    await server.listen();
    await uapiSet(connection, ["listen_port=1"]);
    server.dropConnections();
    await uapiSet(connection, ["listen_port=2"]);
    expect(server.requests).toEqual(["set=1\nlisten_port=1\n\n", "set=1\nlisten_port=2\n\n"]);
    expect(server.connections()).toBe(2);
  });

  it("starts a new connection after a failed request (wireguard-go may not have read all of it)", async () => {
    let answers = 0;
    server = fakeWireGuardGo(path, () => (answers++ === 0 ? "errno=-22\n\n" : "errno=0\n\n"));
    await server.listen();
    await expect(uapiSet(connection, ["bad=1"])).rejects.toMatchObject({ errno: -22 });
    await uapiSet(connection, ["listen_port=2"]);
    expect(server.connections()).toBe(2);
  });

  it("reports a non-zero errno as a UapiError carrying only the errno", async () => {
    server = fakeWireGuardGo(path, () => "errno=-22\n\n");
    await server.listen();
    const key = keyToHex(generateKeyPair().privateKey);
    const failure = uapiSet(connection, [`private_key=${key}`]);
    await expect(failure).rejects.toMatchObject({ errno: -22, interfaceName: NAME });
    await expect(failure).rejects.toThrow("set failed with errno=-22");
    await expect(failure).rejects.not.toThrow(key);
  });

  it("reads a get answer that arrives in many pieces, errno line split, without waiting for the close", async () => {
    const peers = Array.from({ length: 200 }, () => generateKeyPair().publicKey);
    const body = [
      "listen_port=51820",
      ...peers.flatMap((k, i) => [`public_key=${keyToHex(k)}`, `rx_bytes=${i}`]),
    ];
    server = fakeWireGuardGo(path, () => `${body.join("\n")}\nerrno=0\n\n`, 97);
    await server.listen();
    const device = await uapiGet(connection);
    expect(device.listenPort).toBe(51820);
    expect(device.peers.map((p) => p.publicKey)).toEqual(peers);
    expect(device.peers[199]?.rxBytes).toBe(199);
  });

  it("takes a close before any errno as an answer without errno", async () => {
    const closing = createServer((socket) => socket.resume().end("listen_port=1\n"));
    await new Promise<void>((resolve) => closing.listen(path, resolve));
    try {
      await expect(uapiGet(connection)).rejects.toThrow("answer without errno");
    } finally {
      await new Promise<void>((resolve) => closing.close(() => resolve()));
    }
  });

  it("says when the socket is gone (no file, or nobody listening), and only then", async () => {
    const missing = await uapiSet(connection, []).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(UapiSocketError);
    expect(missing).toMatchObject({ socketCode: "ENOENT" });
    expect(isSocketGone(missing)).toBe(true);
    await writeFile(path, "");
    const refused = await uapiSet(connection, []).catch((e: unknown) => e);
    expect(refused).toMatchObject({ socketCode: "ECONNREFUSED" });
    expect(isSocketGone(refused)).toBe(true);
    expect(isSocketGone(new UapiError(NAME, 1, "set failed with errno=1"))).toBe(false);
    expect(isSocketGone(new UapiSocketError(NAME, "EPIPE", "broken pipe"))).toBe(false);
  });

  it("knows an answer's end only by its errno line and blank line", () => {
    expect(endsWithErrno("errno=0\n\n", true)).toBe(true);
    expect(endsWithErrno("x=1\nerrno=-22\n\n", true)).toBe(true);
    expect(endsWithErrno("errno=0\n", true)).toBe(false);
    expect(endsWithErrno("errno=0\n\n", false)).toBe(false); // may be the end of "xerrno=0"
    expect(endsWithErrno("rx_bytes=5\nerrno=0\n\n", false)).toBe(true);
  });

  it("remembers a found socket until told to forget it", async () => {
    const sockets = new UapiSockets(dir);
    expect(await sockets.resolve(NAME)).toBeNull();
    expect(sockets.isCached(NAME)).toBe(false);
    server = fakeWireGuardGo(path, () => "errno=0\n\n");
    await server.listen();
    const found = await sockets.resolve(NAME);
    expect(found?.path).toBe(path);
    await server.close();
    server = undefined;
    await rm(path, { force: true });
    expect(await sockets.resolve(NAME)).toBe(found); // no stat once found
    sockets.forget(NAME);
    expect(await sockets.resolve(NAME)).toBeNull();
  });
});
