// SQL for configurations. Same queries on SQLite and PostgreSQL; JSON columns stay text here and are
// parsed by the service's mapper.
import type { Insertable, Selectable, Updateable } from "kysely";
import { type Db, PreparedQuery } from "../db/index.js";
import type { ConfigurationTable } from "../db/schema.js";

export type ConfigurationRow = Selectable<ConfigurationTable>;
export type NewConfigurationRow = Insertable<ConfigurationTable>;
export type ConfigurationUpdate = Updateable<ConfigurationTable>;

export class ConfigurationRepository {
  constructor(private readonly db: Db) {}

  async insert(row: NewConfigurationRow): Promise<void> {
    await this.db.insertInto("configurations").values(row).execute();
  }

  /** Every request on a configuration's peers asks this: compiled once. */
  async findByName(name: string): Promise<ConfigurationRow | undefined> {
    const [row] = await configurationByName.rows(this.db, name);
    return row;
  }

  async findById(id: string): Promise<ConfigurationRow | undefined> {
    return this.db.selectFrom("configurations").selectAll().where("id", "=", id).executeTakeFirst();
  }

  async list(): Promise<ConfigurationRow[]> {
    return this.db.selectFrom("configurations").selectAll().orderBy("name").execute();
  }

  /** `db`: the caller's transaction, when given. */
  async update(id: string, changes: ConfigurationUpdate, db: Db = this.db): Promise<void> {
    await db.updateTable("configurations").set(changes).where("id", "=", id).execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom("configurations").where("id", "=", id).execute();
  }
}

const configurationByName = new PreparedQuery((db: Db, name: string) =>
  db.selectFrom("configurations").selectAll().where("name", "=", name),
);
