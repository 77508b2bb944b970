/**
 * What every driver of the Store does the same way: each method runs through
 * `call`, which refuses use after close and wraps driver errors in a
 * StoreError naming the operation and the (redacted) URL; model snapshots,
 * settings and API keys are handed to the driver's records object as they
 * are. SQLite's records answer at once, PostgreSQL's with promises: `await`
 * takes either, so one body serves both.
 */
import type { ApiKey, ModelInfo, ModelWithBytes, NewApiKey } from "../store.js";
import { closedError, wrapError } from "./errors.js";

type Eventually<T> = T | Promise<T>;

/** A driver's small tables: model snapshots, settings, API keys. */
export interface StoreRecords {
  saveModel(
    kind: string,
    bytes: Uint8Array,
    trainedThroughSeq: number,
    meta: Record<string, unknown>,
  ): Eventually<ModelInfo>;
  activateModel(id: number): Eventually<void>;
  listModels(kind: string | undefined): Eventually<ModelInfo[]>;
  loadModel(id: number): Eventually<ModelWithBytes | undefined>;
  activeModel(kind: string): Eventually<ModelWithBytes | undefined>;
  getSetting(key: string): Eventually<unknown>;
  setSetting(key: string, value: unknown): Eventually<void>;
  createApiKey(key: NewApiKey): Eventually<ApiKey>;
  createFirstApiKey(key: NewApiKey): Eventually<ApiKey | undefined>;
  findApiKeyByHash(hash: string): Eventually<ApiKey | undefined>;
  listApiKeys(): Eventually<ApiKey[]>;
  revokeApiKey(id: string): Eventually<boolean>;
}

export abstract class GuardedStore {
  /** Where the store lives, with any password redacted (named in every error). */
  abstract readonly url: string;
  protected abstract readonly records: StoreRecords;
  /** Set by the driver's close(); every call after it rejects. */
  protected closed = false;

  /** Runs `fn` (synchronous or not) unless the store is closed; driver errors become StoreErrors naming `operation`. */
  protected async call<T>(operation: string, fn: () => Eventually<T>): Promise<T> {
    if (this.closed) throw closedError(this.url);
    try {
      return await fn();
    } catch (error) {
      throw wrapError(operation, this.url, error);
    }
  }

  // Models, settings, API keys

  saveModel(
    kind: string,
    bytes: Uint8Array,
    trainedThroughSeq: number,
    meta: Record<string, unknown> = {},
  ): Promise<ModelInfo> {
    return this.call("saveModel", () => this.records.saveModel(kind, bytes, trainedThroughSeq, meta));
  }

  activateModel(id: number): Promise<void> {
    return this.call("activateModel", () => this.records.activateModel(id));
  }

  listModels(kind?: string): Promise<ModelInfo[]> {
    return this.call("listModels", () => this.records.listModels(kind));
  }

  loadModel(id: number): Promise<ModelWithBytes | undefined> {
    return this.call("loadModel", () => this.records.loadModel(id));
  }

  activeModel(kind: string): Promise<ModelWithBytes | undefined> {
    return this.call("activeModel", () => this.records.activeModel(kind));
  }

  getSetting<T = unknown>(key: string): Promise<T | undefined> {
    return this.call("getSetting", async () => (await this.records.getSetting(key)) as T | undefined);
  }

  setSetting(key: string, value: unknown): Promise<void> {
    return this.call("setSetting", () => this.records.setSetting(key, value));
  }

  createApiKey(key: NewApiKey): Promise<ApiKey> {
    return this.call("createApiKey", () => this.records.createApiKey(key));
  }

  createFirstApiKey(key: NewApiKey): Promise<ApiKey | undefined> {
    return this.call("createFirstApiKey", () => this.records.createFirstApiKey(key));
  }

  findApiKeyByHash(hash: string): Promise<ApiKey | undefined> {
    return this.call("findApiKeyByHash", () => this.records.findApiKeyByHash(hash));
  }

  listApiKeys(): Promise<ApiKey[]> {
    return this.call("listApiKeys", () => this.records.listApiKeys());
  }

  revokeApiKey(id: string): Promise<boolean> {
    return this.call("revokeApiKey", () => this.records.revokeApiKey(id));
  }
}
