/**
 * Benchmarks of the classic algorithms on ml-100k.
 *
 *   node --import tsx bench/knn.ts          speed of user-knn and item-knn on u1.base (fit seconds; scoring every
 *                                          item for one customer with explanations of the top 10, p50/p99 over 200
 *                                          customers) and RMSE of popular, baseline, user-knn, item-knn on u1..u5;
 *                                          writes bench/results/knn.md and knn.json
 *   node --import tsx bench/knn.ts --tune   how the defaults were chosen: a staged grid search, 5-fold cross-validated
 *                                          inside u1.base (never the u*.test folds); writes knn.tuning.md/.json
 */
import { writeFileSync } from "node:fs";
import os from "node:os";
import { registry } from "../src/algorithms/index.js";
import type { Recommender } from "../src/algorithms/recommender.js";
import { csrFromCoo } from "../src/core/csr.js";
import { Dataset } from "../src/core/dataset.js";
import { Rng } from "../src/core/rng.js";
import { topK } from "../src/linalg/top-k.js";
import { predictPairs } from "../test/algorithms/predict-pairs.js";
import { type Fold, hasMl100k, ml100kFold, rmseOf, type TestPairs } from "../test/helpers/data.js";

const RESULTS = new URL("./results/", import.meta.url);
const tune = process.argv.includes("--tune");
const command = `node --import tsx bench/knn.ts${tune ? " --tune" : ""}`;
const machine = {
  cpus: os.cpus().length,
  cpu: os.cpus()[0]?.model ?? "unknown",
  totalmem: os.totalmem(),
  node: process.version,
  platform: `${os.platform()} ${os.release()}`,
};
const date = new Date().toISOString();
const loadAtStart = os.loadavg();
const header = (title: string): string =>
  `# ${title}\n\nDate: ${date}  \nCommand: \`${command}\`  \nMachine: ${machine.cpus} × ${machine.cpu}, ${(machine.totalmem / 2 ** 30).toFixed(1)} GiB, Node ${machine.node}, ${machine.platform}\n`;

const percentile = (xs: number[], q: number): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};
const median = (xs: number[]): number => percentile(xs, 0.5);

async function fitted(
  kind: string,
  data: Dataset,
  params: object = {},
): Promise<{ model: Recommender; seconds: number }> {
  const model = registry.create(kind, params);
  const start = performance.now();
  await model.fit(data, { rng: new Rng(1) });
  return { model, seconds: (performance.now() - start) / 1000 };
}

async function rmseOn(kind: string, train: Dataset, test: TestPairs, params: object = {}) {
  const { model, seconds } = await fitted(kind, train, params);
  return { ...rmseOf(predictPairs(model, test), test.values), fitSeconds: seconds };
}

/**
 * Seeded k-fold cross-validation splits of a fold's training ratings: the only data the defaults were tuned on.
 * Ratings are shuffled and dealt round-robin into `folds` parts; split f holds part f out.
 */
function crossValidation(train: Dataset, folds = 5, seed = 2024): Array<{ train: Dataset; test: TestPairs }> {
  const m = train.ratings;
  const n = m.indptr[m.rows]!;
  const rowOf = new Int32Array(n);
  for (let u = 0; u < m.rows; u++) rowOf.fill(u, m.indptr[u]!, m.indptr[u + 1]!);
  const order = new Rng(seed).shuffle(Int32Array.from({ length: n }, (_, p) => p));
  const part = new Uint8Array(n);
  for (let k = 0; k < n; k++) part[order[k]!] = k % folds;
  return Array.from({ length: folds }, (_, f) => {
    const keep = { u: new Int32Array(n), i: new Int32Array(n), v: new Float32Array(n), n: 0 };
    const held = { u: [] as number[], i: [] as number[], v: [] as number[] };
    for (let p = 0; p < n; p++) {
      if (part[p] === f) {
        held.u.push(rowOf[p]!);
        held.i.push(m.indices[p]!);
        held.v.push(m.values[p]!);
      } else {
        keep.u[keep.n] = rowOf[p]!;
        keep.i[keep.n] = m.indices[p]!;
        keep.v[keep.n++] = m.values[p]!;
      }
    }
    const ratings = csrFromCoo(m.rows, m.cols, keep.u, keep.i, keep.v, keep.n);
    return {
      train: new Dataset({ users: train.users, items: train.items, ratings, scale: train.scale }),
      test: { users: Int32Array.from(held.u), items: Int32Array.from(held.i), values: Float32Array.from(held.v) },
    };
  });
}

async function speed(kind: string, data: Dataset, params: object = {}) {
  const fits: number[] = [];
  let model: Recommender | null = null;
  for (let r = 0; r < 3; r++) {
    const f = await fitted(kind, data, params);
    fits.push(f.seconds);
    model = f.model;
  }
  const m = model!;
  const all = Int32Array.from({ length: data.itemCount }, (_, i) => i);
  const out = new Float32Array(all.length);
  const rng = new Rng(99);
  const customers = rng.shuffle(Int32Array.from({ length: data.userCount }, (_, u) => u)).slice(0, 200);
  const skip = new Uint8Array(all.length);
  const withExplain: number[] = [];
  const withExplainCpu: number[] = [];
  const foldIn: number[] = [];
  const foldInCpu: number[] = [];
  const run = (user: number, record: boolean): void => {
    const start = data.ratings.indptr[user]!;
    const end = data.ratings.indptr[user + 1]!;
    for (let p = start; p < end; p++) skip[data.ratings.indices[p]!] = 1;
    const cpu = process.cpuUsage();
    let t = performance.now();
    m.score({ user }, all, out);
    const top = topK(out, 10, skip);
    for (const item of top) m.explain?.({ user }, item);
    if (record) withExplain.push(performance.now() - t);
    if (record) withExplainCpu.push(process.cpuUsage(cpu).user / 1000);
    // A new customer: the same ratings as a history (a fresh object, so nothing is cached).
    const history = { items: data.ratings.indices.slice(start, end), values: data.ratings.values.slice(start, end) };
    const cpu2 = process.cpuUsage();
    t = performance.now();
    m.score({ history }, all, out);
    if (record) foldIn.push(performance.now() - t);
    if (record) foldInCpu.push(process.cpuUsage(cpu2).user / 1000);
    for (let p = start; p < end; p++) skip[data.ratings.indices[p]!] = 0;
  };
  for (const user of customers.subarray(0, 30)) run(user, false); // warm-up (JIT)
  for (const user of customers) run(user, true);
  const report = await m.fit(data);
  return {
    kind,
    fitSeconds: median(fits),
    scoreExplainP50: median(withExplain),
    scoreExplainP99: percentile(withExplain, 0.99),
    scoreExplainCpuP50: median(withExplainCpu),
    scoreExplainCpuP99: percentile(withExplainCpu, 0.99),
    foldInCpuP50: median(foldInCpu),
    foldInP50: median(foldIn),
    foldInP99: percentile(foldIn, 0.99),
    details: report.details ?? {},
  };
}

async function benchmark(): Promise<void> {
  const folds: Fold[] = [1, 2, 3, 4, 5].map((k) => ml100kFold(k));
  const u1 = folds[0]!.train;
  const speeds = [];
  for (const kind of ["user-knn", "item-knn"]) {
    speeds.push(await speed(kind, u1));
    console.log(speeds.at(-1));
  }
  const quality = [];
  for (const kind of ["popular", "baseline", "user-knn", "item-knn"]) {
    const folds5 = [];
    for (const fold of folds) folds5.push(await rmseOn(kind, fold.train, fold.test));
    const row = {
      kind,
      rmse: folds5.map((f) => f.rmse),
      mean: folds5.reduce((a, f) => a + f.rmse, 0) / folds5.length,
      unscored: Math.max(...folds5.map((f) => f.unscored)),
      config: registry.resolveConfig(kind, {}),
    };
    quality.push(row);
    console.log(kind, row.mean.toFixed(4));
  }
  writeFileSync(
    new URL("knn.json", RESULTS),
    `${JSON.stringify({ date, command, machine, loadAtStart, speeds, quality }, null, 2)}\n`,
  );
  const ms = (x: number): string => x.toFixed(2);
  const md = `${header("Classic algorithms on ml-100k: speed and RMSE")}
Defaults everywhere (see \`knn.tuning.md\` for how they were chosen).

## Speed on u1.base (943 customers, 1,682 items, 80,000 ratings)

Fit: median of 3. Scoring: one customer, every item (${u1.itemCount}), then the top 10 unseen ranked with one heap and
explained; p50/p99 over 200 seeded random customers after 30 warm-up ones. "New customer": the same ratings sent as
a history (fold-in, nothing cached). Wall-clock times on a shared machine: the load average when the run started was
${loadAtStart.map((l) => l.toFixed(1)).join(" / ")} (1/5/15 min) on ${machine.cpus} cores, so p99 mostly measures waiting for a core; the CPU
time of the same calls (process.cpuUsage, user; 1 µs resolution) is shown alongside.

| algorithm | fit s | score all + top-10 explain p50 ms | p99 ms | CPU p50 ms | CPU p99 ms | new customer: score all p50 ms | p99 ms | CPU p50 ms | model |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---|
${speeds
  .map(
    (s) =>
      `| ${s.kind} | ${s.fitSeconds.toFixed(3)} | ${ms(s.scoreExplainP50)} | ${ms(s.scoreExplainP99)} | ${ms(s.scoreExplainCpuP50)} | ${ms(s.scoreExplainCpuP99)} | ${ms(s.foldInP50)} | ${ms(s.foldInP99)} | ${ms(s.foldInCpuP50)} | ${Object.entries(
        s.details,
      )
        .map(([k, v]) => `${k}: ${v}`)
        .join(", ")} |`,
  )
  .join("\n")}

## RMSE on the official folds (fit on u{k}.base, predict u{k}.test)

Pairs a model cannot score (items absent from u{k}.base) are left out; "unscored" is the largest share over the folds.
Surprise 1.1.4 on these folds: BaselineOnly 0.946, KNNBaseline 0.932, item KNNWithMeans (Pearson) 0.943.

| algorithm | u1 | u2 | u3 | u4 | u5 | mean | unscored |
|---|---:|---:|---:|---:|---:|---:|---:|
${quality
  .map(
    (q) =>
      `| ${q.kind} | ${q.rmse.map((r) => r.toFixed(4)).join(" | ")} | **${q.mean.toFixed(4)}** | ${(q.unscored * 100).toFixed(2)}% |`,
  )
  .join("\n")}
`;
  writeFileSync(new URL("knn.md", RESULTS), md);
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
    const top = topK(model.score({ user }, all), 10, skip);
    let hits = 0;
    for (const item of top) if (items.has(item)) hits++;
    sum += hits / 10;
    for (let p = start; p < end; p++) skip[train.ratings.indices[p]!] = 0;
  }
  return relevant.size > 0 ? sum / relevant.size : 0;
}

type Params = Record<string, unknown>;
interface Trial {
  stage: string;
  kind: string;
  params: Params;
  rmse: number;
  fitSeconds: number;
}

/** Staged grid search (coordinate descent): each stage varies a few fields around the best so far. */
async function tuneDefaults(): Promise<void> {
  const splits = crossValidation(ml100kFold(1).train);
  const trials: Trial[] = [];
  const search = async (kind: string, stage: string, base: Params, grid: Params[]): Promise<Params> => {
    let best: Trial | null = null;
    for (const change of grid) {
      const params = { ...base, ...change };
      let rmse = 0;
      let fitSeconds = 0;
      for (const split of splits) {
        const r = await rmseOn(kind, split.train, split.test, params);
        rmse += r.rmse / splits.length;
        fitSeconds += r.fitSeconds / splits.length;
      }
      const trial = { stage, kind, params, rmse, fitSeconds };
      trials.push(trial);
      console.log(kind, stage, JSON.stringify(params), rmse.toFixed(5));
      if (best === null || trial.rmse < best.rmse) best = trial;
    }
    return best!.params;
  };
  const product = (fields: Record<string, unknown[]>): Params[] =>
    Object.entries(fields).reduce<Params[]>(
      (acc, [field, values]) => acc.flatMap((p) => values.map((v) => ({ ...p, [field]: v }))),
      [{}],
    );
  const chosen: Record<string, Params> = {};
  // Popularity is chiefly the ranking of last resort (new customers), so its damping is chosen by precision@10
  // of the held-out ratings ≥ 4 among all unseen items, among the dampings whose RMSE stays within 0.02 of the
  // best (heavier damping ranks better but flattens every prediction towards the global mean).
  const popularRanking: Array<{ damping: number; precisionAt10: number; rmse: number }> = [];
  for (const damping of [0, 1, 2, 5, 10, 20, 50, 100, 1000]) {
    let precision = 0;
    let rmse = 0;
    for (const split of splits) {
      const { model } = await fitted("popular", split.train, { damping });
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
  // Every search starts from an explicit point (not from the current defaults), so rerunning it reproduces them.
  const start = { k: 40, shrinkage: 100, minOverlap: 1, significance: 0, baseline: chosen.baseline };
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
  chosen["item-knn"] = item;
  writeFileSync(
    new URL("knn.tuning.json", RESULTS),
    `${JSON.stringify({ date, command, machine, chosen, popularRanking, trials }, null, 2)}\n`,
  );
  const md = `${header("How the classic algorithms' defaults were chosen")}
Data: u1.base of ml-100k only, in a seeded 5-fold cross-validation (ratings shuffled with seed 2024 and dealt into 5
parts; fit on four, RMSE on the fifth, mean over the five). The u*.test folds are never looked at. Search: staged
grid (coordinate descent), each stage starts from the best of the previous one; the best mean CV RMSE wins.
Item-knn's model size is capped at 400 neighbours per item for scoring speed.

## Chosen

| algorithm | params |
|---|---|
${Object.entries(chosen)
  .map(([kind, p]) => `| ${kind} | \`${JSON.stringify(p)}\` |`)
  .join("\n")}

## Popular: damping by ranking quality

Precision@10: the share of the top 10 unseen items (ranked by the damped mean) that the customer rated ≥ 4 in the
held-out part, averaged over customers with at least one such rating. The best precision wins among the dampings
whose RMSE is within 0.02 of the best RMSE (heavier damping ranks better but flattens predictions to the mean).

| damping | precision@10 | RMSE |
|---:|---:|---:|
${popularRanking.map((r) => `| ${r.damping} | ${r.precisionAt10.toFixed(4)} | ${r.rmse.toFixed(5)} |`).join("\n")}

## Every trial

| algorithm | stage | params | CV RMSE | fit s |
|---|---|---|---:|---:|
${trials.map((t) => `| ${t.kind} | ${t.stage} | \`${JSON.stringify(t.params)}\` | ${t.rmse.toFixed(5)} | ${t.fitSeconds.toFixed(3)} |`).join("\n")}
`;
  writeFileSync(new URL("knn.tuning.md", RESULTS), md);
}

if (!hasMl100k) {
  console.error("bench/knn.ts needs ../shared/data/ml-100k");
  process.exit(1);
}
await (tune ? tuneDefaults() : benchmark());
