// The list of migrations, in code: no file globbing, so the same list runs from src (tests) and from
// dist (the bin). Append new migrations with the next number; never reorder or rename one.
import type { Migration, MigrationProvider } from "kysely";
import { initialMigration } from "./001-initial.js";
import { trafficSamplesMigration } from "./002-traffic-samples.js";
import { peerDescriptionMigration } from "./003-peer-description.js";

export const migrations: Readonly<Record<string, Migration>> = {
  "001_initial": initialMigration,
  "002_traffic_samples": trafficSamplesMigration,
  "003_peer_description": peerDescriptionMigration,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => ({ ...migrations }),
};
