/**
 * Kindred's public API: the facade, its options and result types, the
 * algorithm registry, stores, datasets and errors.
 */

export type {
  AlgorithmDefinition,
  Explanation,
  FitOptions,
  FitReport,
  ParamSpace,
  Query,
  Recommender,
  SearchSpace,
} from "./algorithms/index.js";
export { createRegistry, registry } from "./algorithms/index.js";
export type { EpochProgress, Neighbor } from "./algorithms/recommender.js";
export { AlgorithmRegistry } from "./algorithms/registry.js";
export type { Csr } from "./core/csr.js";
export { Dataset, datasetFromTriples, type EventWeights, type FeedbackType } from "./core/dataset.js";
export * from "./core/errors.js";
export { IdMap } from "./core/id-map.js";
export { InteractionLog } from "./core/interaction-log.js";
export { Rng } from "./core/rng.js";
export { decodeSnapshot, encodeSnapshot, type ModelSnapshot } from "./core/snapshot.js";
export {
  type Attributes,
  type Customer,
  DEFAULT_DOMAIN,
  DEFAULT_SCALE,
  type Domain,
  EVENT_TYPES,
  type EventType,
  type Item,
  type NewEvent,
  type RatingScale,
  type StoredEvent,
} from "./core/types.js";
export type { CustomerInput, DomainInput, EventInput, ItemInput } from "./core/validate.js";
export { type LoadedDataset, type LoadOptions, loadDataset } from "./engine/dataset-loader.js";
export type {
  CustomerMemory,
  NeighborsResult,
  PredictResult,
  Recommendation,
  RecommendOptions,
  RecommendResult,
  RenderedExplanation,
  SimilarResult,
  StylesResult,
} from "./engine/types.js";
export { type AlgorithmResult, type EvaluateOptions, type EvaluationResult, evaluate } from "./eval/run.js";
export { parseSplit, type SplitSpec, splitLog } from "./eval/splits/index.js";
export { type TuneOptions, type TuneResult, tune } from "./eval/tune.js";
export {
  detectFormat,
  type ImportFormat,
  type ImportOptions,
  type ImportReport,
  importInto,
  type Rejected,
  readDataset,
} from "./importers/index.js";
export { Kindred, type KindredOptions, type TrainOptions } from "./kindred.js";
export { createApp, type KindredApp } from "./service/app.js";
export { loadConfig, resolveConfig, type ServiceConfig } from "./service/config.js";
export { type RunningService, type StartOptions, startService } from "./service/serve.js";
export { openStore } from "./storage/open.js";
export type { AppendResult, ItemQuery, ModelInfo, PageQuery, Store, StoreStats } from "./storage/store.js";
