/**
 * How the classic algorithms' defaults are chosen (`node --import tsx bench/knn.ts --tune`): staged grid
 * searches (coordinate descent: each stage varies a few fields around the best so far), 5-fold
 * cross-validated inside u1.base, never on the u*.test folds. Rating models are chosen by CV RMSE (with the
 * chain's baseline answering where a model says NaN, at most 1% of pairs); the implicit item model
 * (item-cf) by CV NDCG@10. Writes bench/results/knn.tuning.md and .json.
 */
import { writeFileSync } from "node:fs";
import { registry } from "../../src/algorithms/index.js";
import { type Recommender, rankingScores } from "../../src/algorithms/recommender.js";
import type { Dataset } from "../../src/core/dataset.js";
import { Rng } from "../../src/core/rng.js";
import { topK } from "../../src/linalg/top-k.js";
import { predictPairs } from "../../test/algorithms/predict-pairs.js";
import { ml100kFold, rmseOf, type TestPairs } from "../../test/helpers/data.js";
import { chainedRmse, crossValidation, heldOutNdcg } from "./cross-validation.js";

type Params = Record<string, unknown>;

interface Trial {
  stage: string;
  kind: string;
  params: Params;
  /** CV RMSE (rating models) with the baseline answering NaNs. */
  rmse?: number;
  /** Share of held-out pairs the model left to the baseline. */
  fellBack?: number;
  /** CV NDCG@10 (ranking trials; also recorded for the support stages of the rating models). */
  ndcg?: number;
  /** CV NDCG@10 with only held-out ratings ≥ 4 relevant (item-cf's minRating stage). */
  likedNdcg?: number;
  fitSeconds: number;
}

/** Support stages: CV RMSE differences below this are ties (then fewer NaNs win). */
const SUPPORT_TIES = 0.0001;

/** item-cf's minRating: how much NDCG on every rating may be given up for NDCG on liked items. */
const LIKED_SLACK = 0.005;

/** The most a rating model may leave to the fallback chain (the contract's quality floor allows 1%). */
const MAX_FALLBACK = 0.01;

const product = (fields: Record<string, unknown[]>): Params[] =>
  Object.entries(fields).reduce<Params[]>(
    (acc, [field, values]) => acc.flatMap((p) => values.map((v) => ({ ...p, [field]: v }))),
    [{}],
  );

async function fitted(kind: string, data: Dataset, params: object): Promise<{ model: Recommender; seconds: number }> {
  const model = registry.create(kind, params);
  const start = performance.now();
  await model.fit(data, { rng: new Rng(1), threads: 1 });
  return { model, seconds: (performance.now() - start) / 1000 };
}

/** Precision@10 of held-out ratings ≥ 4 among each customer's unseen items (customers with one or more). */
function precisionAt10(model: Recommender, train: Dataset, test: TestPairs): number {
  const all = Int32Array.from({ length: train.itemCount }, (_, i) => i);
  const relevant = new Map<number, Set<number>>();
  for (let k = 0; k < test.users.length; k++) {
    if (test.values[k]! < 4) continue;
    const set = relevant.get(test.users[k]!) ?? new Set<number>();
    set.add(test.items[k]!);
    relevant.set(test.users[k]!, set);
  }
  const skip = new Uint8Array(all.length);
  let sum = 0;
  for (const [user, items] of relevant) {
    const start = train.ratings.indptr[user]!;
    const end = train.ratings.indptr[user + 1]!;
    for (let p = start; p < end; p++) skip[train.ratings.indices[p]!] = 1;
    const top = topK(rankingScores(model, { user }, all), 10, skip);
    let hits = 0;
    for (const item of top) if (items.has(item)) hits++;
    sum += hits / 10;
    for (let p = start; p < end; p++) skip[train.ratings.indices[p]!] = 0;
  }
  return relevant.size > 0 ? sum / relevant.size : 0;
}

export interface TuningRun {
  readonly header: (title: string) => string;
  readonly results: URL;
  readonly json: (extra: Record<string, unknown>) => string;
}

export async function tuneDefaults(run: TuningRun): Promise<void> {
  const splits = crossValidation(ml100kFold(1).train);
  const trials: Trial[] = [];
  let baselines: Recommender[] = [];

  /**
   * Rating models: the best CV RMSE among settings that leave at most 1% of pairs to the baseline. With
   * `ties`, settings within that much of the best count as equal, and the one leaving fewest pairs to the
   * fallback wins (then the earliest in the grid): a NaN must buy accuracy to be chosen.
   */
  const search = async (
    kind: string,
    stage: string,
    base: Params,
    grid: Params[],
    options: { ndcg?: boolean; ties?: number } = {},
  ): Promise<Params> => {
    const eligible: Trial[] = [];
    for (const change of grid) {
      const params = { ...base, ...change };
      const trial: Trial = { stage, kind, params, rmse: 0, fellBack: 0, fitSeconds: 0 };
      if (options.ndcg) trial.ndcg = 0;
      for (const [f, split] of splits.entries()) {
        const { model, seconds } = await fitted(kind, split.train, params);
        const r = baselines[f]
          ? chainedRmse(model, baselines[f], split.test)
          : { ...rmseOf(predictPairs(model, split.test), split.test.values), fellBack: 0 };
        trial.rmse! += r.rmse / splits.length;
        trial.fellBack! += r.fellBack / splits.length;
        trial.fitSeconds += seconds / splits.length;
        if (options.ndcg) trial.ndcg! += heldOutNdcg(model, split.train, split.test) / splits.length;
      }
      trials.push(trial);
      console.log(kind, stage, JSON.stringify(params), trial.rmse!.toFixed(5), trial.ndcg?.toFixed(4) ?? "");
      if (trial.fellBack! <= MAX_FALLBACK) eligible.push(trial);
    }
    const top = Math.min(...eligible.map((t) => t.rmse!));
    const tied = eligible.filter((t) => t.rmse! <= top + (options.ties ?? 0));
    const best = options.ties
      ? tied.reduce((a, b) => (b.fellBack! < a.fellBack! ? b : a))
      : eligible.find((t) => t.rmse === top)!;
    return best.params;
  };

  /**
   * Ranking models: the best CV NDCG@10 (every held-out rating relevant). With `liked`, the best NDCG@10 on
   * the held-out ratings ≥ 4 among the settings within LIKED_SLACK of the best on every rating.
   */
  const rankSearch = async (
    kind: string,
    stage: string,
    base: Params,
    grid: Params[],
    options: { liked?: boolean } = {},
  ): Promise<Params> => {
    const stageTrials: Trial[] = [];
    for (const change of grid) {
      const params = { ...base, ...change };
      const trial: Trial = { stage, kind, params, ndcg: 0, fitSeconds: 0 };
      if (options.liked) trial.likedNdcg = 0;
      for (const split of splits) {
        const { model, seconds } = await fitted(kind, split.train, params);
        trial.ndcg! += heldOutNdcg(model, split.train, split.test) / splits.length;
        if (options.liked) trial.likedNdcg! += heldOutNdcg(model, split.train, split.test, 10, 4) / splits.length;
        trial.fitSeconds += seconds / splits.length;
      }
      trials.push(trial);
      stageTrials.push(trial);
      console.log(kind, stage, JSON.stringify(params), trial.ndcg!.toFixed(4), trial.likedNdcg?.toFixed(4) ?? "");
    }
    const top = Math.max(...stageTrials.map((t) => t.ndcg!));
    const pick = options.liked
      ? stageTrials.filter((t) => t.ndcg! >= top - LIKED_SLACK).reduce((a, b) => (b.likedNdcg! > a.likedNdcg! ? b : a))
      : stageTrials.find((t) => t.ndcg === top)!;
    return pick.params;
  };

  const chosen: Record<string, Params> = {};
  // Popularity is chiefly the ranking of last resort (new customers), so its damping is chosen by precision@10
  // of the held-out ratings ≥ 4 among all unseen items, ranked by the damped mean (the default ranking by count
  // does not depend on the damping), among the dampings whose RMSE stays within 0.02 of the best (heavier
  // damping ranks better but flattens every prediction towards the global mean).
  const popularRanking: Array<{ damping: number; precisionAt10: number; rmse: number }> = [];
  for (const damping of [0, 1, 2, 5, 10, 20, 50, 100, 1000]) {
    let precision = 0;
    let rmse = 0;
    for (const split of splits) {
      const { model } = await fitted("popular", split.train, { damping, rankBy: "damped-mean" });
      precision += precisionAt10(model, split.train, split.test) / splits.length;
      rmse += rmseOf(predictPairs(model, split.test), split.test.values).rmse / splits.length;
    }
    popularRanking.push({ damping, precisionAt10: precision, rmse });
    console.log("popular", damping, precision.toFixed(4), rmse.toFixed(5));
  }
  const bestRmse = Math.min(...popularRanking.map((r) => r.rmse));
  const bestPopular = popularRanking
    .filter((r) => r.rmse <= bestRmse + 0.02)
    .reduce((a, b) => (b.precisionAt10 > a.precisionAt10 ? b : a));
  chosen.popular = { damping: bestPopular.damping };
  chosen.baseline = await search(
    "baseline",
    "regularisation",
    {},
    product({ regUser: [2, 3, 5, 7, 10, 15, 20], regItem: [1, 2, 3, 5, 10] }),
  );
  // From here on a NaN is answered by the chain's baseline, as in the engine.
  baselines = [];
  for (const split of splits) baselines.push((await fitted("baseline", split.train, chosen.baseline)).model);
  // Every search starts from an explicit point (not from the current defaults), so rerunning it reproduces them.
  const start = {
    k: 40,
    shrinkage: 100,
    minOverlap: 1,
    significance: 0,
    minSupport: 0,
    supportDamping: 0,
    baseline: chosen.baseline,
  };
  let user = await search(
    "user-knn",
    "similarity × centre",
    start,
    product({
      similarity: ["msd", "cosine", "pearson", "constrained-pearson", "pearson-baseline"],
      center: ["baseline", "mean"],
    }),
  );
  user = await search(
    "user-knn",
    "k × shrinkage",
    user,
    product({ k: [20, 40, 60, 100], shrinkage: [0, 50, 100, 200] }),
  );
  user = await search("user-knn", "overlap", user, product({ minOverlap: [1, 2, 3, 5] }));
  // Support: how many neighbours must vote, and how far a thinly supported vote is damped towards the centre.
  user = await search(
    "user-knn",
    "support",
    user,
    product({ minSupport: [0, 1, 2, 3, 5], supportDamping: [0, 0.25, 0.5, 1, 2] }),
    { ndcg: true, ties: SUPPORT_TIES },
  );
  chosen["user-knn"] = user;
  let item = await search(
    "item-knn",
    "similarity × centre",
    { ...start, modelSize: 200 },
    product({
      similarity: ["adjusted-cosine", "cosine", "pearson", "pearson-baseline", "msd"],
      center: ["baseline", "mean"],
    }),
  );
  item = await search("item-knn", "k × shrinkage", item, product({ k: [20, 40, 80], shrinkage: [50, 100, 200, 400] }));
  // Model size is capped at 400: scoring walks up to M neighbours per item (speed in knn.md).
  item = await search(
    "item-knn",
    "model size × overlap",
    item,
    product({ modelSize: [100, 200, 400], minOverlap: [1, 2, 3] }),
  );
  item = await search(
    "item-knn",
    "support",
    item,
    product({ minSupport: [0, 1, 2, 3, 5], supportDamping: [0, 0.02, 0.05, 0.1, 0.25, 0.5] }),
    { ndcg: true, ties: SUPPORT_TIES },
  );
  chosen["item-knn"] = item;
  // item-cf ranks: NDCG@10 decides. The start is plain Deshpande & Karypis cosine (every rating a binary positive,
  // 50 neighbours).
  // Lists are capped at 400 like item-knn's (memory items · M, scoring |E(u)| · M); 800 measured +0.001 here.
  let cf = await rankSearch(
    "item-cf",
    "α × neighbours",
    {
      alpha: 0.5,
      neighbours: 50,
      exponent: 1,
      activityExponent: 0,
      normalise: true,
      ratings: "binary",
      minRating: 0,
      weights: { rating: 1, purchase: 1, view: 0.2, like: 1 },
    },
    product({ alpha: [0.5, 0.6, 0.7, 0.8], neighbours: [50, 100, 200, 400] }),
  );
  cf = await rankSearch(
    "item-cf",
    "activity × exponent",
    cf,
    product({ activityExponent: [0, 0.25, 0.5, 0.75], exponent: [1, 1.5, 2, 3] }),
  );
  cf = await rankSearch(
    "item-cf",
    "ratings × normalise",
    cf,
    product({ ratings: ["binary", "value"], normalise: [true, false] }),
  );
  // Which ratings are evidence of liking: all (0), all but the bottom of the scale (null: 2 and up on 1–5), from
  // the midpoint (3), or 4 and 5. A 2-star rating recommending look-alikes does not feel right, so this stage also measures
  // NDCG on the liked held-out ratings (≥ 4) and takes the best of those within LIKED_SLACK of the best overall.
  cf = await rankSearch("item-cf", "minRating", cf, product({ minRating: [0, null, 3, 4] }), { liked: true });
  chosen["item-cf"] = cf;

  // Which model heads recommend(): every ranking-capable model of the registry at its defaults (item-cf with
  // the settings just chosen), and the rating models' rankings for comparison, by the same CV NDCG@10.
  const heads: Array<{ kind: string; params: Params; ndcg: number; likedNdcg: number; fitSeconds: number }> = [];
  const candidates: Array<[string, Params]> = [
    ["popular", { rankBy: "count" }],
    ["popular", { ...chosen.popular, rankBy: "damped-mean" }],
    ["item-knn", chosen["item-knn"]],
    ["user-knn", chosen["user-knn"]],
    ["item-cf", cf],
    ...["bpr", "ials", "ease"].filter((kind) => registry.has(kind)).map((kind): [string, Params] => [kind, {}]),
  ];
  for (const [kind, params] of candidates) {
    const row = { kind, params, ndcg: 0, likedNdcg: 0, fitSeconds: 0 };
    for (const split of splits) {
      const { model, seconds } = await fitted(kind, split.train, params);
      row.ndcg += heldOutNdcg(model, split.train, split.test) / splits.length;
      row.likedNdcg += heldOutNdcg(model, split.train, split.test, 10, 4) / splits.length;
      row.fitSeconds += seconds / splits.length;
    }
    heads.push(row);
    console.log("head", kind, JSON.stringify(params), row.ndcg.toFixed(4), row.likedNdcg.toFixed(4));
  }

  writeFileSync(new URL("knn.tuning.json", run.results), run.json({ chosen, popularRanking, heads, trials }));
  const f = (x: number | undefined, d: number): string => (x === undefined ? "–" : x.toFixed(d));
  const md = `${run.header("How the classic algorithms' defaults were chosen")}
Data: u1.base of ml-100k only, in a seeded 5-fold cross-validation (ratings shuffled with seed 2024 and dealt into 5
parts; fit on four, score the fifth, mean over the five). The u*.test folds are never looked at. Search: staged
grid (coordinate descent), each stage starts from the best of the previous one.

- Rating models (baseline, user-knn, item-knn): the best mean CV RMSE wins. Where a model scores NaN (fewer than
  \`minSupport\` voting neighbours) the baseline answers, as the engine's chain would; settings that leave more than
  ${MAX_FALLBACK * 100}% of the held-out pairs to it are not eligible. In the support stages RMSEs within ${SUPPORT_TIES} of
  the best are ties, won by the setting that leaves fewest pairs to the baseline; they also record CV NDCG@10.
- item-cf (implicit, ranking): the best mean CV NDCG@10 wins: every held-out rating relevant, the full catalogue
  minus the customer's training items ranked (the protocol of \`kindred evaluate\`). Its minRating stage (which
  ratings are evidence of liking) also measures NDCG@10 with only the held-out ratings ≥ 4 relevant, and takes
  the best of those among the settings within ${LIKED_SLACK} of the best NDCG@10 on every rating.

Item-knn's model size is capped at 400 neighbours per item for scoring speed.

## Chosen

| algorithm | params |
|---|---|
${Object.entries(chosen)
  .map(([kind, p]) => `| ${kind} | \`${JSON.stringify(p)}\` |`)
  .join("\n")}

## Which model heads recommend()

CV NDCG@10 of each model's own ranking (the same splits and protocol; "liked": only held-out ratings ≥ 4
relevant); fit seconds per split, one thread. The engine's default recommend chain starts with the best of the
ranking models (src/engine/config.ts).

| model | params | CV NDCG@10 | liked NDCG@10 | fit s |
|---|---|---:|---:|---:|
${heads.map((h) => `| ${h.kind} | \`${JSON.stringify(h.params)}\` | ${h.ndcg.toFixed(4)} | ${h.likedNdcg.toFixed(4)} | ${h.fitSeconds.toFixed(2)} |`).join("\n")}

## Popular: damping by ranking quality

Precision@10: the share of the top 10 unseen items (ranked by the damped mean) that the customer rated ≥ 4 in the
held-out part, averaged over customers with at least one such rating. The best precision wins among the dampings
whose RMSE is within 0.02 of the best RMSE (heavier damping ranks better but flattens predictions to the mean).

| damping | precision@10 | RMSE |
|---:|---:|---:|
${popularRanking.map((r) => `| ${r.damping} | ${r.precisionAt10.toFixed(4)} | ${r.rmse.toFixed(5)} |`).join("\n")}

## Every trial

| algorithm | stage | params | CV RMSE | fell back | CV NDCG@10 | liked NDCG@10 | fit s |
|---|---|---|---:|---:|---:|---:|---:|
${trials
  .map(
    (t) =>
      `| ${t.kind} | ${t.stage} | \`${JSON.stringify(t.params)}\` | ${f(t.rmse, 5)} | ${t.fellBack === undefined ? "–" : `${(t.fellBack * 100).toFixed(2)}%`} | ${f(t.ndcg, 4)} | ${f(t.likedNdcg, 4)} | ${t.fitSeconds.toFixed(3)} |`,
  )
  .join("\n")}
`;
  writeFileSync(new URL("knn.tuning.md", run.results), md);
}
