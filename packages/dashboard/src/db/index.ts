// The database layer: connection, schema, migrations, engine-neutral error checks.
export * from "./connection.js";
export * from "./errors.js";
export * from "./migrate.js";
export * from "./prepared-query.js";
export type * from "./schema.js";
