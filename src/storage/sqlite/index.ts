export { connectSqlite, SQLITE_SCHEMA_VERSION } from "./connect.js";
export { SQLITE_MIGRATIONS } from "./migrations.js";
export { openSqliteStore, SqliteStore } from "./sqlite-store.js";
