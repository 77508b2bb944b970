/**
 * The Kindred facade: the one object a business's code (and the CLI and the
 * HTTP service) talks to; see FACADE.md. Every input is validated (a
 * ValidationError names the field); the work is done by src/engine/.
 *
 * Decisions callers can rely on:
 * - an unknown customer gets cold-start answers from the fallback chain, not an error
 *   (memory() is the exception: NotFoundError);
 * - predict() and similar() on an item the store does not know: NotFoundError("item");
 *   an item no model can score: score null;
 * - close() closes the store only when Kindred.open opened it (fromStore: the caller's store stays open).
 */
import { registry } from "./algorithms/index.js";
import type { EpochProgress } from "./algorithms/recommender.js";
import { ValidationError } from "./core/errors.js";
import type { CustomerInput, DomainInput, EventInput, ItemInput } from "./core/validate.js";
import { type KindredOptions, resolveOptions } from "./engine/config.js";
import { Engine } from "./engine/engine.js";
import { writeCustomers, writeDomains, writeEvents, writeItems } from "./engine/ingest.js";
import { parseId } from "./engine/inputs.js";
import { memory } from "./engine/memory.js";
import { neighbors, similar } from "./engine/neighbours.js";
import { predict } from "./engine/predict.js";
import { recommend } from "./engine/recommend.js";
import { styles } from "./engine/styles.js";
import type {
  CustomerMemory,
  NeighborsResult,
  PredictResult,
  RecommendOptions,
  RecommendResult,
  SimilarResult,
  StylesResult,
} from "./engine/types.js";
import { openStore } from "./storage/open.js";
import type { AppendResult, ModelInfo, Store } from "./storage/store.js";

export type { KindredOptions } from "./engine/config.js";

export interface TrainOptions {
  /** Config of this fit (else options.params[kind], else the stored setting `params.<kind>`, else defaults). */
  params?: Record<string, unknown>;
  signal?: AbortSignal;
  onEpoch?: (p: EpochProgress) => void;
}

export class Kindred {
  readonly store: Store;
  private readonly engine: Engine;
  private readonly ownsStore: boolean;
  private closed = false;

  private constructor(store: Store, options: KindredOptions | undefined, ownsStore: boolean) {
    this.store = store;
    this.engine = new Engine(store, registry, resolveOptions(options));
    this.ownsStore = ownsStore;
  }

  /** Opens a store by target (a path, sqlite:PATH or postgres://URL). */
  static async open(target: string, options?: KindredOptions): Promise<Kindred> {
    resolveOptions(options); // bad options fail before a store is opened
    return new Kindred(await openStore(target), options, true);
  }

  static async fromStore(store: Store, options?: KindredOptions): Promise<Kindred> {
    return new Kindred(store, options, false);
  }

  // ---- one-to-one memory ----

  async putDomains(domains: DomainInput[]): Promise<void> {
    await writeDomains(this.store, domains);
    this.engine.invalidateCatalogue();
  }

  async putItems(items: ItemInput[]): Promise<void> {
    await writeItems(this.store, items);
    this.engine.invalidateCatalogue();
  }

  async putCustomers(customers: CustomerInput[]): Promise<void> {
    await writeCustomers(this.store, customers);
  }

  /** Validates every event (shape, and rating on the item's domain scale) before writing any; then appends. */
  async addEvents(events: EventInput[], options: { channel?: string } = {}): Promise<AppendResult> {
    const channel = this.channel(options.channel);
    const { result, events: written } = await writeEvents(this.store, events, channel);
    await this.afterAppend(result, written);
    return result;
  }

  async rate(
    customer: string,
    item: string,
    value: number,
    options: { channel?: string; timestamp?: number } = {},
  ): Promise<AppendResult> {
    const channel = this.channel(options.channel);
    const event = { customer, item, type: "rating", value, timestamp: options.timestamp };
    // Fields are named as the caller passed them: `value: 7 is off the scale ...`.
    const { result, events: written } = await writeEvents(this.store, [event], channel, () => "");
    await this.afterAppend(result, written);
    return result;
  }

  async memory(customer: string): Promise<CustomerMemory> {
    return memory(this.store, customer);
  }

  /** Forgets the customer: every trace in the store; they vanish from answers at once. */
  async forget(customer: string): Promise<boolean> {
    const removed = await this.store.deleteCustomer(parseId(customer, "customer"));
    if (removed) await this.engine.checkForgets();
    return removed;
  }

  // ---- community knowledge ----

  recommend(customer: string, options?: RecommendOptions): Promise<RecommendResult> {
    return recommend(this.engine, customer, options);
  }

  predict(customer: string, items: string[], options?: { algorithm?: string }): Promise<PredictResult> {
    return predict(this.engine, customer, items, options);
  }

  neighbors(customer: string, options?: { k?: number; algorithm?: string }): Promise<NeighborsResult> {
    return neighbors(this.engine, customer, options);
  }

  similar(item: string, options?: { k?: number; algorithm?: string }): Promise<SimilarResult> {
    return similar(this.engine, item, options);
  }

  styles(customer: string, options?: { domain?: string; algorithm?: string }): Promise<StylesResult> {
    return styles(this.engine, customer, options);
  }

  // ---- models ----

  /** Fits in a worker thread on the store's current data, saves the bundle and makes it the active model. */
  async train(algorithm: string, options: TrainOptions = {}): Promise<ModelInfo> {
    if (typeof algorithm !== "string") throw new ValidationError("algorithm", "must be a string");
    registry.get(algorithm);
    if (options.params !== undefined) registry.resolveConfig(algorithm, options.params);
    const model = await this.engine.host.train(algorithm, options);
    return model.info;
  }

  models(): Promise<ModelInfo[]> {
    return this.store.listModels();
  }

  /** Answers with the models the store marks active now, older ones too (after an activation or a rollback). */
  reloadModels(): Promise<void> {
    return this.engine.host.syncActive({ any: true });
  }

  /** Looks now (at most every `retrain.pollMs`) for events, forgets, items and models other processes wrote. */
  refresh(): Promise<void> {
    return this.engine.refresh();
  }

  /** Cancels running fits; closes the store when Kindred.open opened it. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.engine.close();
    if (this.ownsStore) await this.store.close();
  }

  private channel(value: string | undefined): string {
    if (value === undefined) return this.engine.options.channel;
    if (typeof value !== "string" || value.trim().length === 0 || value.length > 128) {
      throw new ValidationError("channel", "must be a non-empty string of at most 128 characters");
    }
    return value.trim();
  }

  private async afterAppend(result: AppendResult, events: readonly { item: string }[]): Promise<void> {
    await this.engine.noteItems(events.map((e) => e.item));
    this.engine.host.observe(result.lastSeq);
  }
}
