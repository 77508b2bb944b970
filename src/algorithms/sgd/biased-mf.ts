/**
 * The Recommender behind `svd` and `svdpp`: fitting (validation slice, early
 * stopping, refit), scoring and snapshots around MfModel. The two differ only
 * in their configs: svdpp counts rated items as implicit evidence.
 */
import { availableParallelism } from "node:os";
import type { Csr } from "../../core/csr.js";
import type { Dataset } from "../../core/dataset.js";
import { Rng } from "../../core/rng.js";
import type { ModelSnapshot } from "../../core/snapshot.js";
import { createSgdKernels, type KernelChoice } from "../../linalg/wasm/sgd-kernels.js";
import { meanOf } from "../classic/biases.js";
import { fitted, secondsSince, throwIfAborted } from "../classic/fit-guard.js";
import { checkSnapshot, snapshotArray, snapshotNumber } from "../classic/snapshot-io.js";
import type { Explanation, FitOptions, FitReport, Query, Recommender } from "../recommender.js";
import { runEpochs } from "./epoch-loop.js";
import { type ImplicitWeights, implicitEvidence } from "./implicit.js";
import { type FoldInParams, MfModel, type MfState } from "./mf-model.js";
import { type MfArrays, MfTrainer, PARALLEL_MIN_RATINGS } from "./mf-trainer.js";
import type { Schedule } from "./schedule.js";
import { holdOut } from "./validation.js";

export interface BiasedMfConfig {
  readonly factors: number;
  readonly epochs: number;
  readonly learningRate: number;
  readonly biasLearningRate: number;
  readonly regularization: number;
  readonly biasRegularization: number;
  readonly implicitRegularization: number;
  readonly initStd: number;
  readonly schedule: Schedule;
  readonly decay: number;
  readonly validationFraction: number;
  readonly patience: number;
  readonly refit: boolean;
  readonly foldInEpochs: number;
  readonly foldInLearningRate: number;
  readonly kernel: KernelChoice;
  readonly implicitWeights: ImplicitWeights;
}

/** Fewer training ratings than this and the validation slice is skipped (nothing to learn from it). */
const MIN_RATINGS_FOR_VALIDATION = 50;

function foldInParams(c: BiasedMfConfig): FoldInParams {
  return {
    epochs: c.foldInEpochs,
    learningRate: c.foldInLearningRate,
    biasLearningRate: c.foldInLearningRate,
    regularization: c.regularization,
    biasRegularization: c.biasRegularization,
    ratedWeight: c.implicitWeights.rating ?? 0,
  };
}

export class BiasedMf<C extends BiasedMfConfig> implements Recommender<C> {
  constructor(
    readonly kind: string,
    private readonly version: number,
    readonly config: Readonly<C>,
    private model: MfModel | null = null,
  ) {}

  async fit(data: Dataset, options: FitOptions = {}): Promise<FitReport> {
    const start = performance.now();
    const kind = this.kind;
    throwIfAborted(options.signal, kind);
    const c = this.config;
    const rng = options.rng ?? new Rng();
    const seeds = { split: rng.nextUint32(), init: rng.nextUint32(), shuffle: rng.nextUint32() };
    const threads = options.threads ?? availableParallelism();
    const loop = { kind, schedule: c.schedule, decay: c.decay, patience: c.patience, signal: options.signal };
    const onEpoch = options.onEpoch;
    const phase = (ratings: Csr, heldOut?: ReturnType<typeof holdOut>["heldOut"]): MfTrainer =>
      new MfTrainer({
        kernels: createSgdKernels(c.kernel),
        ratings,
        implicit: implicitEvidence(data, ratings, c.implicitWeights),
        globalMean: meanOf(ratings),
        hyper: c,
        initSeed: seeds.init,
        shuffleSeed: seeds.shuffle,
        heldOut,
        clamp: [data.scale.min, data.scale.max],
        parallel: threads >= 2 && ratings.indptr[ratings.rows]! >= PARALLEL_MIN_RATINGS,
      });

    let epochs = c.epochs;
    let validation = Number.NaN;
    let searched = 0;
    let arrays: MfArrays | null = null;
    let loss = Number.NaN;
    const validate = c.validationFraction > 0 && data.ratingCount >= MIN_RATINGS_FOR_VALIDATION;
    if (validate) {
      const split = holdOut(data.ratings, c.validationFraction, new Rng(seeds.split));
      const trainer = phase(split.train, split.heldOut);
      try {
        const result = await runEpochs(
          {
            train: (e, s) => trainer.train(e, s),
            validate: () => trainer.validate(),
            onBest: c.refit ? undefined : () => (arrays = trainer.copyOut()),
          },
          { ...loop, epochs: c.epochs, onEpoch: c.refit ? undefined : onEpoch },
        );
        epochs = result.bestEpoch;
        validation = result.validation;
        searched = result.epochs;
        loss = result.loss;
      } finally {
        trainer.close();
      }
    }
    if (!validate || c.refit) {
      const trainer = phase(data.ratings);
      try {
        loss = (await runEpochs({ train: (e, s) => trainer.train(e, s) }, { ...loop, epochs, onEpoch })).loss;
        arrays = trainer.copyOut();
      } finally {
        trainer.close();
      }
    }
    const state: MfState = {
      ...(arrays as unknown as MfArrays),
      factors: c.factors,
      globalMean: meanOf(data.ratings),
      scaleMin: data.scale.min,
      scaleMax: data.scale.max,
      ratings: data.ratings,
      implicit: implicitEvidence(data, data.ratings, c.implicitWeights),
    };
    this.model = new MfModel(state, foldInParams(c));
    return {
      seconds: secondsSince(start),
      epochs,
      loss,
      details: {
        kernel: createSgdKernels(c.kernel).name,
        model: this.model.hasImplicit ? "svd++ (implicit evidence)" : "biased mf",
        ...(validate ? { validationRmse: validation, epochsSearched: searched } : {}),
      },
    };
  }

  score(query: Query, items: Int32Array, out?: Float32Array): Float32Array {
    return fitted(this.model, this.kind).score(query, items, out);
  }

  explain(query: Query, item: number): Explanation {
    return fitted(this.model, this.kind).explain(query, item);
  }

  similarItems(item: number, k: number): { items: Int32Array; similarities: Float32Array } {
    return fitted(this.model, this.kind).similarItems(item, k);
  }

  snapshot(): ModelSnapshot {
    const s = fitted(this.model, this.kind).state;
    const empty = new Int32Array(0);
    return {
      kind: this.kind,
      version: this.version,
      config: { ...this.config },
      meta: {
        factors: s.factors,
        users: s.ratings.rows,
        items: s.ratings.cols,
        globalMean: s.globalMean,
        scaleMin: s.scaleMin,
        scaleMax: s.scaleMax,
        implicit: s.implicit !== null,
      },
      arrays: {
        userFactors: s.userFactors,
        itemFactors: s.itemFactors,
        userBias: s.userBias,
        itemBias: s.itemBias,
        implicitFactors: s.implicitFactors,
        ratingsIndptr: s.ratings.indptr,
        ratingsIndices: s.ratings.indices,
        ratingsValues: s.ratings.values,
        implicitIndptr: s.implicit?.indptr ?? empty,
        implicitIndices: s.implicit?.indices ?? empty,
        implicitValues: s.implicit?.values ?? new Float32Array(0),
      },
    };
  }
}

/** Rebuilds a fitted BiasedMf from its snapshot, checking every array's type and length. */
export function restoreBiasedMf<C extends BiasedMfConfig>(
  snapshot: ModelSnapshot,
  kind: string,
  version: number,
  config: C,
): BiasedMf<C> {
  checkSnapshot(snapshot, kind, version);
  const k = snapshotNumber(snapshot, "factors");
  const users = snapshotNumber(snapshot, "users");
  const items = snapshotNumber(snapshot, "items");
  const hasImplicit = snapshot.meta.implicit === true;
  const csr = (prefix: string, rows: number): Csr => {
    const indptr = snapshotArray(snapshot, `${prefix}Indptr`, Int32Array, rows + 1);
    const total = indptr[rows]!;
    return {
      rows,
      cols: items,
      indptr,
      indices: snapshotArray(snapshot, `${prefix}Indices`, Int32Array, total),
      values: snapshotArray(snapshot, `${prefix}Values`, Float32Array, total),
    };
  };
  const state: MfState = {
    factors: k,
    globalMean: snapshotNumber(snapshot, "globalMean"),
    scaleMin: snapshotNumber(snapshot, "scaleMin"),
    scaleMax: snapshotNumber(snapshot, "scaleMax"),
    userFactors: snapshotArray(snapshot, "userFactors", Float32Array, users * k),
    itemFactors: snapshotArray(snapshot, "itemFactors", Float32Array, items * k),
    userBias: snapshotArray(snapshot, "userBias", Float32Array, users),
    itemBias: snapshotArray(snapshot, "itemBias", Float32Array, items),
    implicitFactors: snapshotArray(snapshot, "implicitFactors", Float32Array, hasImplicit ? items * k : 0),
    ratings: csr("ratings", users),
    implicit: hasImplicit ? csr("implicit", users) : null,
  };
  return new BiasedMf<C>(kind, version, config, new MfModel(state, foldInParams(config)));
}
