// A TCP forwarder in the test process: listens on an address a test namespace can reach (the host side
// of its veth) and pipes each connection to a target on the host's loopback (the fleet's dashboard).
// It stands in for the NAT or firewall in front of a dashboard, and cut() is the network failing: every
// connection through it is destroyed and new ones are refused until restore(). Only the addresses it is
// given; everything is closed by stop().
import { createConnection, createServer, type Server, type Socket } from "node:net";

export class TcpForwarder {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  /** Connections accepted so far (each a new connection of the client). */
  accepted = 0;

  private constructor(
    readonly host: string,
    private readonly target: { host: string; port: number },
    public port: number,
  ) {}

  static async start(options: {
    listen: { host: string; port?: number };
    target: { host: string; port: number };
  }): Promise<TcpForwarder> {
    const forwarder = new TcpForwarder(options.listen.host, options.target, options.listen.port ?? 0);
    await forwarder.listen();
    return forwarder;
  }

  /** Destroys every connection through it and refuses new ones (nothing listens) until restore(). */
  async cut(): Promise<void> {
    await this.close();
  }

  /** Listens again on the same port. */
  async restore(): Promise<void> {
    if (!this.server) await this.listen();
  }

  async stop(): Promise<void> {
    await this.close();
  }

  private listen(): Promise<void> {
    const server = createServer((client) => this.pipe(client));
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, this.host, () => {
        server.off("error", reject);
        const address = server.address();
        if (address && typeof address === "object") this.port = address.port;
        this.server = server;
        resolve();
      });
    });
  }

  private pipe(client: Socket): void {
    this.accepted++;
    const upstream = createConnection(this.target);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
      socket.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  }

  private async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
