// Throwaway HTTP servers on 127.0.0.1 for the tests of one describe block (agents that misbehave,
// redirect, stall or are not there): each listens on a free port, and every one still open is closed,
// its connections first, after each test.
import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach } from "vitest";

export interface LoopbackServer {
  server: Server;
  /** `http://127.0.0.1:PORT` */
  url: string;
}

export interface LoopbackServers {
  listen(handler: RequestListener): Promise<LoopbackServer>;
  /** An http URL where nothing listens: a server's port, freed again. */
  closedUrl(): Promise<string>;
}

/** Call inside a describe block: registers the afterEach that closes its servers. */
export function useLoopbackServers(): LoopbackServers {
  const open = new Set<Server>();
  afterEach(async () => {
    for (const server of [...open]) await close(server);
  });
  const close = async (server: Server) => {
    open.delete(server);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  const listen = async (handler: RequestListener): Promise<LoopbackServer> => {
    const server = createServer(handler);
    open.add(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  };
  return {
    listen,
    async closedUrl() {
      const { server, url } = await listen(() => {});
      await close(server);
      return url;
    },
  };
}
