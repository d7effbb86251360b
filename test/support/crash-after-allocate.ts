// Test-only fault, loaded into a dashboard process with `node --import tsx --import <this file>` (the
// fleet harness's DashboardOptions.imports): the process SIGKILLs itself when a node transport is
// asked to add the peer whose public key $WGFLEET_TEST_CRASH_PUBLIC_KEY names — that is, after the
// creation saga committed the peer `pending` with its addresses, before the node is called: the crash
// the start-up settlement must repair. Production code knows nothing of it; the patch replaces
// `upsertPeers` on the transport classes the dashboard's sources export (run from sources, not dist).

import type { PeerSpec } from "@wgfleet/core";
import { LocalTransport } from "../../packages/dashboard/src/transport/local-transport.js";
import { RemoteTransport } from "../../packages/dashboard/src/transport/remote-transport.js";

/** The environment variable naming the public key whose creation crashes the process. */
export const CRASH_PUBLIC_KEY_ENV = "WGFLEET_TEST_CRASH_PUBLIC_KEY";

/** This file, for DashboardOptions.imports. */
export const CRASH_AFTER_ALLOCATE_MODULE = new URL(import.meta.url).pathname;

const victim = process.env[CRASH_PUBLIC_KEY_ENV];
if (victim) {
  for (const transport of [LocalTransport, RemoteTransport]) {
    const original = transport.prototype.upsertPeers;
    transport.prototype.upsertPeers = function (
      this: InstanceType<typeof transport>,
      interfaceName: string,
      peers: PeerSpec[],
      revision: number,
    ) {
      if (peers.some((peer) => peer.publicKey === victim)) process.kill(process.pid, "SIGKILL");
      return original.call(this, interfaceName, peers, revision);
    } as typeof original;
  }
}
