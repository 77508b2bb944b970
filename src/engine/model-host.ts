/**
 * The models a running engine answers with, one per algorithm kind: restored
 * from the store's active bundle, or fitted (in a worker) on first use when
 * none is stored. The retrain policy: a model whose data is more than
 * `everyEvents` events behind the log, or that still holds a forgotten
 * customer, is refitted in the background while the current one keeps
 * answering (fold-in keeps each customer's answers current meanwhile), then
 * swapped in. Only a missing model (or one fitted on an empty log, now that
 * there are events) is fitted before answering.
 */

import type { EpochProgress } from "../algorithms/recommender.js";
import type { AlgorithmRegistry } from "../algorithms/registry.js";
import { KindredError } from "../core/errors.js";
import type { ModelInfo, Store } from "../storage/store.js";
import type { ResolvedOptions } from "./config.js";
import { DatasetFeed, type LoadedDataset } from "./dataset-loader.js";
import { type PackedDataset, packDataset } from "./dataset-transfer.js";
import { fitInWorker } from "./fit-runner.js";
import { decodeBundle, encodeBundle, type ModelBundle } from "./model-bundle.js";

/**
 * A fit that failed because this model cannot learn from this data, not because of a fault: no usable
 * evidence yet (ValidationError on "data"), or a problem too large for its memory limit (TOO_LARGE). A
 * default chain passes over such a model (engine.ts).
 */
export function refusesData(error: unknown): error is KindredError {
  return (
    error instanceof KindredError &&
    (error.code === "TOO_LARGE" || (error.code === "INVALID_INPUT" && error.field === "data"))
  );
}

export interface HostedModel extends ModelBundle {
  readonly info: ModelInfo;
}

export interface TrainOptions {
  readonly params?: Record<string, unknown>;
  readonly signal?: AbortSignal;
  readonly onEpoch?: (progress: EpochProgress) => void;
  readonly background?: boolean;
}

interface CachedData {
  readonly loaded: LoadedDataset;
  readonly packed: PackedDataset;
  /** The store's last seq (events and forget records) before the scan: everything up to it is in the data. */
  readonly throughSeq: number;
}

export class ModelHost {
  private readonly models = new Map<string, HostedModel>();
  private readonly fits = new Map<string, Promise<HostedModel>>();
  private readonly aborts = new Set<AbortController>();
  /** The running background refit of each kind. */
  private readonly refits = new Map<string, AbortController>();
  /** The last error of a background refit per kind (answers go on with the previous model). */
  readonly backgroundErrors = new Map<string, Error>();
  /**
   * Kinds whose last fit refused the data (see refusesData), with the log seq that data ran through: not
   * retried on every query, only once new events arrive.
   */
  readonly refused = new Map<string, { readonly seq: number; readonly error: KindredError }>();
  private data: Promise<CachedData> | undefined;
  private readonly feed: DatasetFeed;
  private lastSeq = 0;
  /** seq of the latest forget record seen: a model trained through less still holds that customer. */
  private latestForget = 0;
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly registry: AlgorithmRegistry,
    private readonly options: ResolvedOptions,
  ) {
    this.feed = new DatasetFeed(store);
  }

  /** The model of `kind`: in memory, else the store's active one, else fitted now. */
  async get(kind: string): Promise<HostedModel> {
    const running = this.fits.get(kind);
    const held = this.models.get(kind);
    if (held && !this.empty(held)) return held;
    if (running) return running;
    const refusal = this.refused.get(kind);
    if (refusal && refusal.seq >= this.lastSeq) throw refusal.error;
    if (held) return this.train(kind);
    this.registry.get(kind); // a ValidationError naming the known algorithms
    const stored = await this.store.activeModel(kind);
    if (stored) {
      const adopted = this.adopt(kind, stored.info, stored.bytes);
      if (!this.empty(adopted)) return adopted;
    }
    return this.train(kind);
  }

  /** A model fitted on an empty log while the log now has events knows nothing: it counts as missing. */
  private empty(model: HostedModel): boolean {
    return model.info.trainedThroughSeq === 0 && this.lastSeq > 0;
  }

  /** The model held in memory, if any (no loading). */
  peek(kind: string): HostedModel | undefined {
    return this.models.get(kind);
  }

  /** Fits `kind` in a worker on the store's current data, saves the bundle, activates it and answers with it. */
  train(kind: string, options: TrainOptions = {}): Promise<HostedModel> {
    if (this.closed) return Promise.reject(new KindredError("CANCELLED", "the engine is closed"));
    // An explicit fit supersedes a background refit of the same kind (which would otherwise land later
    // and replace it); a foreground caller never waits on a background worker, which does not hold the
    // process open.
    if (!options.background) this.refits.get(kind)?.abort();
    const fit = this.fit(kind, options).finally(() => {
      if (this.fits.get(kind) === fit) this.fits.delete(kind);
      // The shared dataset (and its SharedArrayBuffer copy) is for fits running together; the feed keeps
      // only its log, so the next fit tails it.
      if (this.fits.size === 0) this.data = undefined;
    });
    this.fits.set(kind, fit);
    return fit;
  }

  private async fit(kind: string, options: TrainOptions): Promise<HostedModel> {
    const config = this.registry.resolveConfig(kind, options.params ?? (await this.paramsFor(kind)));
    const controller = new AbortController();
    const onOuterAbort = (): void => controller.abort();
    options.signal?.addEventListener("abort", onOuterAbort, { once: true });
    if (options.signal?.aborted) controller.abort();
    this.aborts.add(controller);
    try {
      const { loaded, packed, throughSeq } = await this.dataset();
      const outcome = await fitInWorker(kind, config, this.options.seed, packed, {
        signal: controller.signal,
        ...(options.onEpoch ? { onEpoch: options.onEpoch } : {}),
        background: options.background ?? false,
      }).catch((error: unknown) => {
        if (refusesData(error)) this.refused.set(kind, { seq: throughSeq, error });
        throw error;
      });
      this.refused.delete(kind);
      const { dataset } = loaded;
      const bytes = encodeBundle(kind, outcome.bytes, dataset.users.ids(), dataset.items.ids());
      const saved = await this.store.saveModel(kind, bytes, throughSeq, {
        config,
        fit: outcome.report,
        fittedIn: "worker",
        threadId: outcome.threadId,
        seconds: outcome.seconds,
        users: dataset.userCount,
        items: dataset.itemCount,
        ratings: dataset.ratingCount,
        events: loaded.events,
      });
      await this.store.activateModel(saved.id);
      return this.adopt(kind, { ...saved, active: true }, bytes);
    } finally {
      this.aborts.delete(controller);
      options.signal?.removeEventListener("abort", onOuterAbort);
    }
  }

  private adopt(kind: string, info: ModelInfo, bytes: Uint8Array): HostedModel {
    const bundle = decodeBundle(bytes, this.registry);
    if (bundle.kind !== kind) {
      throw new KindredError("STORE", `model ${info.id} was stored as ${kind} but holds a ${bundle.kind} snapshot`);
    }
    const hosted: HostedModel = { ...bundle, info };
    this.models.set(kind, hosted);
    return hosted;
  }

  private async paramsFor(kind: string): Promise<Record<string, unknown>> {
    return this.options.params[kind] ?? (await this.store.getSetting<Record<string, unknown>>(`params.${kind}`)) ?? {};
  }

  /** The store's data as a Dataset, shared by fits until the log moves (an event or a forget). */
  private async dataset(): Promise<CachedData> {
    const { lastSeq } = await this.store.stats();
    const cached = this.data ? await this.data.catch(() => undefined) : undefined;
    if (cached && cached.throughSeq === lastSeq) return cached;
    // Loads are chained: the feed tails one log and must not run twice at once.
    const previous = this.data?.catch(() => undefined) ?? Promise.resolve(undefined);
    this.data = previous
      .then(() => this.feed.load())
      .then((loaded) => ({
        loaded,
        packed: packDataset(loaded.dataset),
        throughSeq: Math.max(lastSeq, loaded.lastSeq),
      }));
    return this.data;
  }

  /** Called with the log's last seq (after an append, or a poll): starts background refits of stale models. */
  observe(lastSeq: number): void {
    this.lastSeq = Math.max(this.lastSeq, lastSeq);
    if (!this.options.background || this.closed) return;
    for (const [kind, model] of this.models) {
      if (this.fits.has(kind)) continue;
      const behind = this.lastSeq - model.info.trainedThroughSeq;
      const holdsForgotten = model.info.trainedThroughSeq < this.latestForget;
      if (behind > this.options.everyEvents || holdsForgotten) this.refitInBackground(kind);
    }
  }

  /** A customer was forgotten (by us or another process) at `seq`: models trained before still hold them. */
  forgottenAt(seq: number): void {
    this.latestForget = Math.max(this.latestForget, seq);
    this.observe(seq);
  }

  /**
   * Adopts models another process activated since we loaded ours. With `any`, adopts whichever model the
   * store marks active, older ones too (a rollback or an activation by hand, here or in another process).
   */
  async syncActive(options: { any?: boolean } = {}): Promise<void> {
    if (this.models.size === 0) return;
    const infos = await this.store.listModels();
    for (const info of infos) {
      const held = this.models.get(info.kind);
      if (!info.active || !held || this.fits.has(info.kind)) continue;
      if (options.any ? info.id === held.info.id : info.id <= held.info.id) continue;
      const stored = await this.store.loadModel(info.id);
      if (stored) this.adopt(info.kind, stored.info, stored.bytes);
    }
  }

  /** Refits with the held model's own config (a refit reproduces the model on newer data). */
  private refitInBackground(kind: string): void {
    const held = this.models.get(kind);
    const controller = new AbortController();
    this.refits.set(kind, controller);
    const params = held ? { ...(held.model.config as Record<string, unknown>) } : undefined;
    this.train(kind, { background: true, signal: controller.signal, ...(params ? { params } : {}) })
      .then(
        () => this.backgroundErrors.delete(kind),
        (error: Error) => {
          if (!this.closed && !controller.signal.aborted) this.backgroundErrors.set(kind, error);
        },
      )
      .finally(() => {
        if (this.refits.get(kind) === controller) this.refits.delete(kind);
      });
  }

  /** Cancels running fits (their workers are terminated). */
  close(): void {
    this.closed = true;
    for (const controller of this.aborts) controller.abort();
  }
}
