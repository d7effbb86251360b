// Runs inside the browser's network namespace (see browser-network.ts): accepts connections on
// 127.0.0.1 there and passes each one on, byte for byte, to the Unix socket named by the first
// argument, which the test process serves. Prints the port it listens on, then runs until killed.
import { createConnection, createServer } from "node:net";

const socketPath = process.argv[2];
if (!socketPath) {
  process.stderr.write("usage: loopback-forwarder.mjs SOCKET\n");
  process.exit(2);
}

const server = createServer((client) => {
  const upstream = createConnection(socketPath);
  const closeBoth = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on("error", closeBoth).on("close", closeBoth);
  upstream.on("error", closeBoth).on("close", closeBoth);
  client.pipe(upstream);
  upstream.pipe(client);
});
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${server.address().port}\n`);
});
