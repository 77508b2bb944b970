/**
 * The Kindred facade: the one object a business's code (and the CLI and the
 * HTTP service) talks to. See FACADE.md for the agreed API.
 */
import type { EpochProgress } from "./algorithms/recommender.js";
import { KindredError } from "./core/errors.js";
import type { CustomerInput, DomainInput, EventInput, ItemInput } from "./core/validate.js";
import { type KindredOptions, type ResolvedOptions, resolveOptions } from "./engine/config.js";
import type {
  CustomerMemory,
  NeighborsResult,
  PredictResult,
  RecommendOptions,
  RecommendResult,
  SimilarResult,
  StylesResult,
} from "./engine/types.js";
import type { AppendResult, ModelInfo, Store } from "./storage/store.js";

export type { KindredOptions } from "./engine/config.js";

const todo = (): never => {
  throw new KindredError("INTERNAL", "not implemented yet");
};

export class Kindred {
  readonly store: Store;
  protected readonly options: ResolvedOptions;

  protected constructor(store: Store, options: ResolvedOptions) {
    this.store = store;
    this.options = options;
  }

  /** Opens a store by target (a path, sqlite:PATH or postgres://URL). */
  static async open(_target: string, _options?: KindredOptions): Promise<Kindred> {
    return todo();
  }

  static async fromStore(store: Store, options?: KindredOptions): Promise<Kindred> {
    return new Kindred(store, resolveOptions(options));
  }

  async putDomains(_domains: DomainInput[]): Promise<void> {
    todo();
  }
  async putItems(_items: ItemInput[]): Promise<void> {
    todo();
  }
  async putCustomers(_customers: CustomerInput[]): Promise<void> {
    todo();
  }
  async addEvents(_events: EventInput[], _options?: { channel?: string }): Promise<AppendResult> {
    return todo();
  }
  async rate(
    _customer: string,
    _item: string,
    _value: number,
    _options?: { channel?: string; timestamp?: number },
  ): Promise<AppendResult> {
    return todo();
  }
  async memory(_customer: string): Promise<CustomerMemory> {
    return todo();
  }
  async forget(_customer: string): Promise<boolean> {
    return todo();
  }
  async recommend(_customer: string, _options?: RecommendOptions): Promise<RecommendResult> {
    return todo();
  }
  async predict(_customer: string, _items: string[], _options?: { algorithm?: string }): Promise<PredictResult> {
    return todo();
  }
  async neighbors(_customer: string, _options?: { k?: number; algorithm?: string }): Promise<NeighborsResult> {
    return todo();
  }
  async similar(_item: string, _options?: { k?: number; algorithm?: string }): Promise<SimilarResult> {
    return todo();
  }
  async styles(_customer: string, _options?: { domain?: string; algorithm?: string }): Promise<StylesResult> {
    return todo();
  }
  async train(
    _algorithm: string,
    _options?: { params?: Record<string, unknown>; signal?: AbortSignal; onEpoch?: (p: EpochProgress) => void },
  ): Promise<ModelInfo> {
    return todo();
  }
  async models(): Promise<ModelInfo[]> {
    return this.store.listModels();
  }
  async close(): Promise<void> {
    todo();
  }
}
