// The per-configuration name check: case-insensitive, across the configuration's interfaces only, and
// answered through its index (migration 025), not by reading every peer of the interface — a read of
// every peer per creation made 1,000 sequential creations quadratic.
import { afterEach, expect, it } from "vitest";
import { forEachEngine, type OpenedDatabase } from "../../../../test/support/databases.js";
import { queryPlan } from "../db/test-support/query-plan.js";
import { insertConfiguration, insertInterface, insertPeer } from "../db/test-support/rows.js";
import { nameTakenQuery, PeerRepository } from "./peer.repository.js";

forEachEngine("peer name lookup", (open, engine) => {
  let opened: OpenedDatabase | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  it("finds a name whatever its ASCII case, on any interface of the configuration only", async () => {
    opened = await open();
    const { db } = opened;
    const configuration = await insertConfiguration(db);
    const first = await insertInterface(db, { configuration_id: configuration });
    const second = await insertInterface(db, { configuration_id: configuration, name: "wg1" });
    const other = await insertInterface(db);
    const ana = await insertPeer(db, { interface_id: first, name: "Ana" });
    await insertPeer(db, { interface_id: second, name: "bo" });
    await insertPeer(db, { interface_id: other, name: "Cy" });
    const peers = new PeerRepository(db);
    expect(await peers.nameTaken(configuration, "ANA")).toBe(true);
    expect(await peers.nameTaken(configuration, "Bo")).toBe(true);
    expect(await peers.nameTaken(configuration, "cy")).toBe(false);
    expect(await peers.nameTaken(configuration, "ana", ana)).toBe(false);
  });

  it("is answered through the (interface_id, lower(name)) index", async () => {
    opened = await open();
    const { db } = opened;
    const configuration = await insertConfiguration(db);
    const iface = await insertInterface(db, { configuration_id: configuration });
    for (let i = 0; i < 50; i++) await insertPeer(db, { interface_id: iface, name: `peer-${i}` });
    expect(await queryPlan(db, engine, nameTakenQuery(db, configuration, "Peer-7").compile())).toContain(
      "peers_interface_lower_name_idx",
    );
  });
});
