/**
 * The PostgreSQL store's small tables: model snapshots, settings and API keys.
 * The store wraps each call (closed check, error wrapping).
 */
import { NotFoundError } from "../../core/errors.js";
import { conflict } from "../shared/errors.js";
import { apiKeyFromRow, checkSeq, modelFromRow, toJson } from "../shared/rows.js";
import type { ApiKey, ModelInfo, ModelWithBytes, NewApiKey } from "../store.js";
import type { Query, Statements } from "./statements.js";

const MODEL_COLUMNS = "id, kind, created_at, active, trained_through_seq, meta, octet_length(bytes)";
const KEY_COLUMNS = "id, name, hash, scopes, channel, customer, created_at, revoked_at";

export class PostgresRecords {
  /** `s`: the quoted schema name. */
  constructor(
    private readonly sql: Statements,
    private readonly s: string,
  ) {}

  async saveModel(
    kind: string,
    bytes: Uint8Array,
    trainedThroughSeq: number,
    meta: Record<string, unknown>,
  ): Promise<ModelInfo> {
    const r = await this.sql.row(
      `INSERT INTO ${this.s}.models (kind, created_at, active, trained_through_seq, meta, bytes)
       VALUES ($1, $2, false, $3, $4::jsonb, $5) RETURNING ${MODEL_COLUMNS}`,
      [
        kind,
        Date.now(),
        checkSeq(trainedThroughSeq, "trainedThroughSeq"),
        toJson(meta, "meta"),
        Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      ],
    );
    return modelFromRow(r!);
  }

  activateModel(id: number): Promise<void> {
    return this.sql.transaction(async (query) => {
      const found = await query(`SELECT kind FROM ${this.s}.models WHERE id = $1`, [id]);
      if (found.length === 0) throw new NotFoundError("model", String(id));
      const kind = found[0]![0];
      // Lock every model of the kind, so two activations of one kind cannot interleave.
      await query(`SELECT id FROM ${this.s}.models WHERE kind = $1 FOR UPDATE`, [kind]);
      await query(`UPDATE ${this.s}.models SET active = false WHERE kind = $1 AND active AND id <> $2`, [kind, id]);
      await query(`UPDATE ${this.s}.models SET active = true WHERE id = $1`, [id]);
    });
  }

  async listModels(kind: string | undefined): Promise<ModelInfo[]> {
    const rows = await this.sql.query(
      `SELECT ${MODEL_COLUMNS} FROM ${this.s}.models WHERE ($1::text IS NULL OR kind = $1) ORDER BY id DESC`,
      [kind ?? null],
    );
    return rows.map(modelFromRow);
  }

  async loadModel(id: number): Promise<ModelWithBytes | undefined> {
    return this.withBytes(
      await this.sql.row(`SELECT ${MODEL_COLUMNS}, bytes FROM ${this.s}.models WHERE id = $1`, [id]),
    );
  }

  async activeModel(kind: string): Promise<ModelWithBytes | undefined> {
    return this.withBytes(
      await this.sql.row(`SELECT ${MODEL_COLUMNS}, bytes FROM ${this.s}.models WHERE kind = $1 AND active`, [kind]),
    );
  }

  private withBytes(r: unknown[] | undefined): ModelWithBytes | undefined {
    if (r === undefined) return undefined;
    // A copy with its own ArrayBuffer at offset 0: typed-array views over it are aligned.
    return { info: modelFromRow(r), bytes: new Uint8Array(r[7] as Buffer) };
  }

  async getSetting(key: string): Promise<unknown> {
    const r = await this.sql.row(`SELECT value FROM ${this.s}.settings WHERE key = $1`, [key]);
    return r === undefined ? undefined : r[0];
  }

  async setSetting(key: string, value: unknown): Promise<void> {
    if (value === undefined) {
      await this.sql.query(`DELETE FROM ${this.s}.settings WHERE key = $1`, [key]);
      return;
    }
    await this.sql.query(
      `INSERT INTO ${this.s}.settings (key, value) VALUES ($1, $2::jsonb)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      [key, toJson(value, `settings.${key}`)],
    );
  }

  createApiKey(key: NewApiKey): Promise<ApiKey> {
    return this.insertKey(this.sql.query, key);
  }

  createFirstApiKey(key: NewApiKey): Promise<ApiKey | undefined> {
    return this.sql.transaction(async (query) => {
      // Serialises first starts: a second one waits here until the first commits, and its check (a
      // statement begun after the lock was granted, so under READ COMMITTED it sees that commit) finds the
      // key. A plain INSERT ... WHERE NOT EXISTS would not do: both checks could run before either insert.
      await query("SELECT pg_advisory_xact_lock(hashtext($1), hashtext('first-api-key'))", [`kindred:${this.s}`]);
      if ((await query(`SELECT 1 FROM ${this.s}.api_keys LIMIT 1`)).length > 0) return undefined;
      return this.insertKey(query, key);
    });
  }

  private async insertKey(query: Query, key: NewApiKey): Promise<ApiKey> {
    try {
      const [r] = await query(
        `INSERT INTO ${this.s}.api_keys (${KEY_COLUMNS}) VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, NULL)
         RETURNING ${KEY_COLUMNS}`,
        [key.id, key.name, key.hash, toJson(key.scopes, "scopes"), key.channel, key.customer ?? null, key.createdAt],
      );
      return apiKeyFromRow(r!);
    } catch (error) {
      const constraint = (error as { constraint?: string }).constraint;
      if (constraint === "api_keys_hash_key") throw conflict("hash", "an API key with this hash already exists");
      if (constraint === "api_keys_pkey") throw conflict("id", `API key "${key.id}" already exists`);
      throw error;
    }
  }

  async findApiKeyByHash(hash: string): Promise<ApiKey | undefined> {
    const r = await this.sql.row(
      `SELECT ${KEY_COLUMNS} FROM ${this.s}.api_keys WHERE hash = $1 AND revoked_at IS NULL`,
      [hash],
    );
    return r && apiKeyFromRow(r);
  }

  async listApiKeys(): Promise<ApiKey[]> {
    return (await this.sql.query(`SELECT ${KEY_COLUMNS} FROM ${this.s}.api_keys ORDER BY position`)).map(apiKeyFromRow);
  }

  async revokeApiKey(id: string): Promise<boolean> {
    const rows = await this.sql.query(
      `UPDATE ${this.s}.api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL RETURNING id`,
      [Date.now(), id],
    );
    return rows.length > 0;
  }
}
