// The SMTP settings row (id 1) in SQL. No rules here: the service checks and encrypts.
import type { Selectable } from "kysely";
import type { Db } from "../db/index.js";
import type { EmailSettingsTable } from "../db/schema.js";

export type EmailSettingsRow = Selectable<EmailSettingsTable>;

const ROW_ID = 1;

export class EmailSettingsRepository {
  constructor(private readonly db: Db) {}

  async find(): Promise<EmailSettingsRow | undefined> {
    return this.db.selectFrom("email_settings").selectAll().where("id", "=", ROW_ID).executeTakeFirst();
  }

  async save(row: Omit<EmailSettingsRow, "id">): Promise<void> {
    await this.db
      .insertInto("email_settings")
      .values({ id: ROW_ID, ...row })
      .onConflict((conflict) => conflict.column("id").doUpdateSet(row))
      .execute();
  }
}
