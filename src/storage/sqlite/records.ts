/**
 * The SQLite store's small tables: model snapshots, settings and API keys.
 * Synchronous; the store wraps each call (closed check, error wrapping).
 */
import { NotFoundError } from "../../core/errors.js";
import { conflict } from "../shared/errors.js";
import { apiKeyFromRow, checkSeq, modelFromRow, toJson } from "../shared/rows.js";
import type { ApiKey, ModelInfo, ModelWithBytes, NewApiKey } from "../store.js";
import type { Statements } from "./statements.js";

const MODEL_COLUMNS = "id, kind, created_at, active, trained_through_seq, meta, length(bytes)";
const KEY_COLUMNS = "id, name, hash, scopes, channel, customer, created_at, revoked_at";

export class SqliteRecords {
  constructor(private readonly sql: Statements) {}

  saveModel(kind: string, bytes: Uint8Array, trainedThroughSeq: number, meta: Record<string, unknown>): ModelInfo {
    const r = this.sql.row(
      `INSERT INTO models (kind, created_at, active, trained_through_seq, meta, bytes) VALUES (?, ?, 0, ?, ?, ?)
       RETURNING ${MODEL_COLUMNS}`,
      kind,
      Date.now(),
      checkSeq(trainedThroughSeq, "trainedThroughSeq"),
      toJson(meta, "meta"),
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    )!;
    return modelFromRow(r);
  }

  activateModel(id: number): void {
    this.sql.write(() => {
      const kind = this.sql.value("SELECT kind FROM models WHERE id = ?", id);
      if (kind === undefined) throw new NotFoundError("model", String(id));
      this.sql.run("UPDATE models SET active = 0 WHERE kind = ? AND active = 1 AND id <> ?", kind, id);
      this.sql.run("UPDATE models SET active = 1 WHERE id = ?", id);
    });
  }

  listModels(kind: string | undefined): ModelInfo[] {
    const rows =
      kind === undefined
        ? this.sql.rows(`SELECT ${MODEL_COLUMNS} FROM models ORDER BY id DESC`)
        : this.sql.rows(`SELECT ${MODEL_COLUMNS} FROM models WHERE kind = ? ORDER BY id DESC`, kind);
    return rows.map(modelFromRow);
  }

  loadModel(id: number): ModelWithBytes | undefined {
    return this.withBytes(this.sql.row(`SELECT ${MODEL_COLUMNS}, bytes FROM models WHERE id = ?`, id));
  }

  activeModel(kind: string): ModelWithBytes | undefined {
    return this.withBytes(
      this.sql.row(`SELECT ${MODEL_COLUMNS}, bytes FROM models WHERE kind = ? AND active = 1`, kind),
    );
  }

  private withBytes(r: unknown[] | undefined): ModelWithBytes | undefined {
    if (r === undefined) return undefined;
    // A copy with its own ArrayBuffer at offset 0: typed-array views over it are aligned.
    return { info: modelFromRow(r), bytes: new Uint8Array(r[7] as Buffer) };
  }

  getSetting(key: string): unknown {
    const text = this.sql.value("SELECT value FROM settings WHERE key = ?", key) as string | undefined;
    return text === undefined ? undefined : JSON.parse(text);
  }

  setSetting(key: string, value: unknown): void {
    if (value === undefined) {
      this.sql.run("DELETE FROM settings WHERE key = ?", key);
      return;
    }
    this.sql.run(
      "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      key,
      toJson(value, `settings.${key}`),
    );
  }

  createApiKey(key: NewApiKey): ApiKey {
    try {
      const r = this.sql.row(
        `INSERT INTO api_keys (${KEY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, NULL) RETURNING ${KEY_COLUMNS}`,
        key.id,
        key.name,
        key.hash,
        toJson(key.scopes, "scopes"),
        key.channel,
        key.customer ?? null,
        key.createdAt,
      )!;
      return apiKeyFromRow(r);
    } catch (error) {
      const message = (error as Error).message;
      if (message.includes("api_keys.hash")) throw conflict("hash", "an API key with this hash already exists");
      if (message.includes("api_keys.id")) throw conflict("id", `API key "${key.id}" already exists`);
      throw error;
    }
  }

  createFirstApiKey(key: NewApiKey): ApiKey | undefined {
    // IMMEDIATE: the write lock is taken before the check, so two processes cannot both find no key.
    return this.sql.write(() =>
      this.sql.value("SELECT 1 FROM api_keys LIMIT 1") === undefined ? this.createApiKey(key) : undefined,
    );
  }

  findApiKeyByHash(hash: string): ApiKey | undefined {
    const r = this.sql.row(`SELECT ${KEY_COLUMNS} FROM api_keys WHERE hash = ? AND revoked_at IS NULL`, hash);
    return r && apiKeyFromRow(r);
  }

  listApiKeys(): ApiKey[] {
    return this.sql.rows(`SELECT ${KEY_COLUMNS} FROM api_keys ORDER BY rowid`).map(apiKeyFromRow);
  }

  revokeApiKey(id: string): boolean {
    return (
      this.sql.run("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", Date.now(), id).changes > 0
    );
  }
}
