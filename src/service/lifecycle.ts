/**
 * The model lifecycle of a running service: one fit at a time in the
 * background (the engine fits in a worker thread and swaps the new model in
 * atomically; the current one answers meanwhile), its status, activation of
 * any stored snapshot, rollback to the previous one, and the retrain policy
 * (every N new events or T minutes).
 *
 * Of several instances sharing a store, only the one leading the "retrain" role (Store.lead: a PostgreSQL
 * advisory lock) refits on schedule; the others keep answering and adopt the snapshots it activates when
 * they tail the store (tail.ts). When the leader closes or dies, another takes the role at its next check.
 * A store without `lead` (SQLite, one process) always leads. Fits asked for by hand run wherever asked.
 * A fit already running when its instance loses the role (its store connection dropped) still finishes:
 * at worst one snapshot more than needed, never a wrong one.
 *
 * A kind whose model was activated or rolled back by hand is pinned: the
 * policy leaves it alone until someone trains it by hand again. Pins live in
 * the store (setting `service.pinned`) so every instance honours them.
 */
import type { EpochProgress } from "../algorithms/recommender.js";
import { KindredError } from "../core/errors.js";
import type { Kindred } from "../kindred.js";
import type { ModelInfo } from "../storage/store.js";
import type { ServiceConfig } from "./config.js";
import type { Logger } from "./context.js";
import type { ServiceMetrics } from "./metrics.js";

export const PINNED_SETTING = "service.pinned";
/** The role (Store.lead) of the one instance that runs the retrain policy. */
export const RETRAIN_ROLE = "retrain";
/** Checks of the policy a kind sits out after its fit failed. */
const FAILURE_BACKOFF_CHECKS = 10;
/** Fewest new events that make a model of a young store (whose log has doubled since) due. */
const YOUNG_MIN_EVENTS = 100;

export type FitState = "idle" | "running" | "succeeded" | "failed" | "cancelled";

export interface FitStatus {
  readonly state: FitState;
  readonly algorithm: string | null;
  readonly reason: "manual" | "policy" | null;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
  readonly progress: EpochProgress | null;
  /** The model the fit saved and activated (when it succeeded). */
  readonly model: ModelInfo | null;
  readonly error: string | null;
}

const IDLE: FitStatus = {
  state: "idle",
  algorithm: null,
  reason: null,
  startedAt: null,
  finishedAt: null,
  progress: null,
  model: null,
  error: null,
};

export interface LifecycleDeps {
  readonly kindred: Kindred;
  readonly config: ServiceConfig;
  readonly metrics: ServiceMetrics;
  readonly clock: () => number;
  readonly log: Logger;
  /** Called when the models answering changed (a fit swapped in, an activation, a rollback). */
  readonly onChange?: () => void;
}

export class ModelLifecycle {
  private current: FitStatus = IDLE;
  /** When the policy's last fit of each kind failed: it waits FAILURE_BACKOFF_CHECKS checks before retrying. */
  private readonly failedAt = new Map<string, number>();
  private running: Promise<void> | undefined;
  private abort: AbortController | undefined;
  private leader: boolean | undefined;

  constructor(private readonly deps: LifecycleDeps) {}

  status(): FitStatus {
    return this.current;
  }

  /** Starts a fit in the background; CONFLICT while another one runs. */
  async start(
    algorithm: string,
    options: { params?: Record<string, unknown>; reason?: "manual" | "policy" } = {},
  ): Promise<FitStatus> {
    if (this.running) {
      throw new KindredError("CONFLICT", `a fit of "${this.current.algorithm}" is running; wait for it or cancel it`);
    }
    const reason = options.reason ?? "manual";
    const abort = new AbortController();
    const startedAt = this.deps.clock();
    // Claimed before the first await, so a second request in the meantime gets the CONFLICT.
    this.abort = abort;
    this.current = { ...IDLE, state: "running", algorithm, reason, startedAt };
    this.deps.metrics.fitsRunning.set({}, 1);
    const fit = (async () => {
      // Training a kind by hand releases the pin an activation or rollback put on it.
      if (reason === "manual") await this.unpin(algorithm);
      return this.deps.kindred.train(algorithm, {
        ...(options.params ? { params: options.params } : {}),
        signal: abort.signal,
        onEpoch: (progress) => {
          if (this.current.state === "running") this.current = { ...this.current, progress };
        },
      });
    })();
    this.running = fit.then(
      (model) => {
        this.failedAt.delete(algorithm);
        this.finish("succeeded", startedAt, { model });
        this.deps.onChange?.();
      },
      (error: unknown) => {
        const cancelled = error instanceof KindredError && error.code === "CANCELLED";
        if (!cancelled) this.deps.log(`fit of "${algorithm}" failed`, error);
        const message = error instanceof KindredError ? error.message : "internal error (see the service log)";
        if (!cancelled) this.failedAt.set(algorithm, this.deps.clock());
        this.finish(cancelled ? "cancelled" : "failed", startedAt, { error: message });
      },
    );
    return this.current;
  }

  private finish(state: FitState, startedAt: number, result: { model?: ModelInfo; error?: string }): void {
    const finishedAt = this.deps.clock();
    const algorithm = this.current.algorithm ?? "?";
    this.deps.metrics.fitDuration.observe({ algorithm, outcome: state }, (finishedAt - startedAt) / 1000);
    this.deps.metrics.fitsRunning.set({}, 0);
    this.current = {
      ...this.current,
      state,
      finishedAt,
      model: result.model ?? null,
      error: result.error ?? null,
    };
    this.running = undefined;
    this.abort = undefined;
  }

  /** Cancels the running fit; false when none runs. */
  cancel(): boolean {
    if (!this.abort) return false;
    this.abort.abort();
    return true;
  }

  /** Resolves when no fit runs (the current one settled). */
  async idle(): Promise<void> {
    await this.running;
  }

  /** Makes a stored snapshot the active model of its kind, and pins the kind. */
  async activate(id: number): Promise<ModelInfo> {
    const store = this.deps.kindred.store;
    const found = await store.loadModel(id);
    if (!found) throw new KindredError("NOT_FOUND", `model "${id}" is not known`, { field: "id" });
    await store.activateModel(id);
    await this.pin(found.info.kind);
    await this.reload();
    return { ...found.info, active: true };
  }

  /** Activates the snapshot of `kind` saved just before the active one. */
  async rollback(kind: string): Promise<ModelInfo> {
    const models = await this.deps.kindred.store.listModels(kind);
    if (models.length === 0)
      throw new KindredError("NOT_FOUND", `no model of "${kind}" is stored`, { field: "algorithm" });
    const active = models.find((m) => m.active);
    const earlier = models
      .filter((m) => !m.active && (active === undefined || m.id < active.id))
      .sort((a, b) => b.id - a.id)[0];
    if (!earlier) {
      throw new KindredError("CONFLICT", `no snapshot of "${kind}" older than the active one to roll back to`, {
        field: "algorithm",
      });
    }
    return this.activate(earlier.id);
  }

  /** Has the engine answer with the store's active models now (other instances follow when they tail). */
  private async reload(): Promise<void> {
    await this.deps.kindred.reloadModels();
    this.deps.onChange?.();
  }

  private async pinned(): Promise<string[]> {
    const value = await this.deps.kindred.store.getSetting<string[]>(PINNED_SETTING);
    return Array.isArray(value) ? value : [];
  }

  private async pin(kind: string): Promise<void> {
    const pins = await this.pinned();
    if (!pins.includes(kind)) await this.deps.kindred.store.setSetting(PINNED_SETTING, [...pins, kind]);
  }

  private async unpin(kind: string): Promise<void> {
    const pins = await this.pinned();
    if (pins.includes(kind)) {
      await this.deps.kindred.store.setSetting(
        PINNED_SETTING,
        pins.filter((k) => k !== kind),
      );
    }
  }

  /** Whether this instance led the retrain policy at its last check (undefined before the first). */
  leading(): boolean | undefined {
    return this.leader;
  }

  /** Takes or keeps the retrain role; logs when this instance starts or stops leading. */
  private async leads(): Promise<boolean> {
    const store = this.deps.kindred.store;
    const leading = store.lead ? await store.lead(RETRAIN_ROLE) : true;
    if (store.lead && leading !== this.leader) {
      this.deps.log(
        leading
          ? "this instance now runs the retrain policy (it holds the store's retrain leadership)"
          : "another instance runs the retrain policy: this one adopts the models it stores",
      );
    }
    this.leader = leading;
    this.deps.metrics.retrainLeader.set({}, leading ? 1 : 0);
    return leading;
  }

  /**
   * The retrain policy (the service runs it; the engine's own background refits are off in service mode):
   * the first kind (configured, else every active model's) not pinned whose model is `everyEvents` behind
   * the log, or older than `everyMinutes` with new events since, or still holds a forgotten customer, or
   * (a young store) saw the log double since its data (at least 100 new events), starts fitting, on the
   * instance that leads the retrain role only. Returns the kind started, if any.
   */
  async checkPolicy(): Promise<string | undefined> {
    const policy = this.deps.config.retrain;
    if (!policy.enabled || this.running) return undefined;
    if (!(await this.leads())) return undefined;
    const store = this.deps.kindred.store;
    const [models, stats, pins] = await Promise.all([store.listModels(), store.stats(), this.pinned()]);
    const active = new Map(models.filter((m) => m.active).map((m) => [m.kind, m]));
    const kinds = policy.algorithms ?? [...active.keys()];
    const now = this.deps.clock();
    for (const kind of kinds) {
      if (pins.includes(kind)) continue;
      // A kind whose fit just failed waits a few checks, so it neither hammers the store nor blocks the others.
      const failed = this.failedAt.get(kind);
      if (failed !== undefined && now - failed < FAILURE_BACKOFF_CHECKS * policy.checkMs) continue;
      const model = active.get(kind);
      const behind = model === undefined ? 0 : stats.lastSeq - model.trainedThroughSeq;
      const due =
        model === undefined ||
        behind >= policy.everyEvents ||
        // A young store: refit each time the log doubles (so the first data is used within minutes).
        (behind >= YOUNG_MIN_EVENTS && behind >= model.trainedThroughSeq) ||
        (policy.everyMinutes > 0 &&
          stats.lastSeq > model.trainedThroughSeq &&
          now - model.createdAt >= policy.everyMinutes * 60_000) ||
        (await store.forgottenSince(model.trainedThroughSeq)).length > 0;
      if (due) {
        await this.start(kind, { reason: "policy" });
        return kind;
      }
    }
    return undefined;
  }
}
