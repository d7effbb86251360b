// The peer list's first read: a configuration by its name with its interfaces in one query — all of
// them, none for a configuration without any, nothing for an unknown name (the list answers 404).
import { afterEach, expect, it } from "vitest";
import { forEachEngine, type OpenedDatabase } from "../../../../test/support/databases.js";
import { insertConfiguration, insertInterface, insertNode } from "../db/test-support/rows.js";
import { InterfaceRepository } from "./interface.repository.js";

forEachEngine("interfaces by configuration name", (open) => {
  let opened: OpenedDatabase | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  it("finds the configuration with each of its interfaces, or with none, or nothing", async () => {
    opened = await open();
    const { db } = opened;
    const configuration = await insertConfiguration(db, { name: "office" });
    await insertConfiguration(db, { name: "empty" });
    await insertConfiguration(db, { name: "other" });
    const a = await insertInterface(db, {
      configuration_id: configuration,
      node_id: await insertNode(db, { id: "node-a" }),
      name: "wg-a",
    });
    const b = await insertInterface(db, {
      configuration_id: configuration,
      node_id: await insertNode(db, { id: "node-b" }),
      name: "wg-b",
    });
    const interfaces = new InterfaceRepository(db);
    expect(await interfaces.findByConfigurationName("office")).toEqual({
      configurationName: "office",
      interfaces: [
        { id: a, name: "wg-a", node_id: "node-a", configuration_id: configuration },
        { id: b, name: "wg-b", node_id: "node-b", configuration_id: configuration },
      ],
    });
    expect(await interfaces.findByConfigurationName("empty")).toEqual({
      configurationName: "empty",
      interfaces: [],
    });
    expect(await interfaces.findByConfigurationName("nowhere")).toBeUndefined();
  });
});
