export { connectPostgres, DEFAULT_SCHEMA, POSTGRES_SCHEMA_VERSION, parsePostgresUrl } from "./connect.js";
export { postgresMigrations } from "./migrations.js";
export { openPostgresStore, PostgresStore } from "./postgres-store.js";
