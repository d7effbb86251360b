// Who a `pending` peer belongs to, on both engines: a single insert and a multi-row one (a bulk
// creation's, a group of creations) both record this replica on `pending` rows — a replica that starts
// meanwhile settles only peers whose owner stopped — and no owner on rows inserted `active`.
import type { CheckedCreatePeer } from "@wgfleet/core";
import { afterEach, expect, it } from "vitest";
import { forEachEngine, type OpenedDatabase } from "../../../../test/support/databases.js";
import { insertConfiguration, insertInterface } from "../db/test-support/rows.js";
import { InterfaceRepository } from "../interfaces/index.js";
import { PeerRepository, type PeerRow } from "./peer.repository.js";
import { newPeerRow } from "./peer-rows.js";

forEachEngine("peer rows", (open) => {
  let opened: OpenedDatabase | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  it("records this replica as the owner of pending rows, single or many at once, and none of active ones", async () => {
    opened = await open();
    const { db } = opened;
    const configurationId = await insertConfiguration(db, { name: "office" });
    const iface = await new InterfaceRepository(db).findById(
      await insertInterface(db, { configuration_id: configurationId }),
    );
    const configuration = await db
      .selectFrom("configurations")
      .selectAll()
      .where("id", "=", configurationId)
      .executeTakeFirstOrThrow();
    if (!iface) throw new Error("no interface");
    const row = (name: string, state: PeerRow["state"]): PeerRow => ({
      ...newPeerRow(
        { name, node: "auto" } as CheckedCreatePeer,
        { publicKey: `key-${name}`, privateKeyEnc: null, presharedKey: null, presharedKeyEnc: null },
        iface,
        configuration,
      ),
      state,
    });
    const peers = new PeerRepository(db, "replica-a");
    await peers.insert(row("one", "pending"));
    await peers.insertMany([row("two", "pending"), row("three", "pending"), row("four", "active")]);
    const owners = await db.selectFrom("peers").select(["name", "owner_replica"]).orderBy("name").execute();
    expect(owners).toEqual([
      { name: "four", owner_replica: null },
      { name: "one", owner_replica: "replica-a" },
      { name: "three", owner_replica: "replica-a" },
      { name: "two", owner_replica: "replica-a" },
    ]);
  });
});
