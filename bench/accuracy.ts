/**
 * Accuracy of every registered algorithm, the way the literature measures it:
 * - ml-100k, the official folds u1–u5 (rating: RMSE, MAE; ranking: top-10 of
 *   the full catalogue minus the customer's training items, every held-out
 *   rating a positive);
 * - ml-latest-small, seeded 5-fold cross-validation (half-star ratings).
 * With fit and predict seconds per fold and peak memory, through the same
 * harness as `kindred evaluate` (worker threads, one per core).
 *
 *   node --import tsx bench/accuracy.ts [--algorithms a,b] [--datasets ml-100k,ml-latest-small]
 *
 * Writes bench/results/accuracy.{md,json} and accuracy-ml-100k.html (plots).
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { registry } from "../src/algorithms/index.js";
import { writeReport } from "../src/eval/report/html.js";
import { type EvaluationResult, evaluate } from "../src/eval/run.js";
import { loadDataPath } from "../src/eval/source.js";
import { splitLog } from "../src/eval/splits/index.js";
import { machine, peakRssMB } from "./lib/machine.js";
import { currentCommand, markdownTable, RESULTS_DIR, writeResults } from "./lib/results.js";

const DATA = fileURLToPath(new URL("../../shared/data/", import.meta.url));
const started = machine();
const t0 = performance.now();

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/**
 * Algorithms left out of a dataset, with the reason (said in the results). ml-latest-small has 9,742
 * items: an item × item model's dense work grows with its square or cube.
 */
const SKIP: Record<string, Record<string, string>> = {
  "ml-latest-small": {
    blend:
      "it fits its four members on a holdout and again on everything (36 s fit + 21 s predict per fold here, 43% of this dataset's time); see ml-100k",
    ease: "its fit inverts a 9,724 × 9,724 item Gram matrix (cubic in items): 200–800 s per fold on this 2-core machine, over the 20-minute `npm run bench` budget on its own (on ml-100k, 1,682 items, it runs)",
  },
};

interface Run {
  readonly dataset: string;
  readonly path: string;
  readonly split: string;
  readonly note: string;
}

const RUNS: Run[] = [
  { dataset: "ml-100k", path: `${DATA}ml-100k`, split: "official", note: "official folds u1–u5" },
  { dataset: "ml-latest-small", path: `${DATA}ml-latest-small`, split: "kfold:5", note: "5-fold, seed 42" },
];

const only = flag("datasets")?.split(",");
const algorithms = flag("algorithms")?.split(",") ?? registry.kinds();
const outcomes: Array<{
  run: Run;
  description: string;
  algorithms: string[];
  skipped: Record<string, string>;
  result: EvaluationResult;
}> = [];

for (const run of RUNS) {
  if (only && !only.includes(run.dataset)) continue;
  if (!existsSync(run.path)) {
    console.warn(`SKIPPED ${run.dataset}: ${run.path} is absent (../shared/data)`);
    continue;
  }
  const data = await loadDataPath(run.path);
  const folds = splitLog(data.log, run.split, { seed: 42, source: data.source, scale: data.scale });
  const skipped = Object.fromEntries(Object.entries(SKIP[run.dataset] ?? {}).filter(([a]) => algorithms.includes(a)));
  const chosen = algorithms.filter((a) => !(a in skipped));
  console.error(`${data.description}: ${chosen.join(", ")} on ${run.split}`);
  const result = await evaluate(folds, {
    algorithms: chosen,
    task: "both",
    k: 10,
    seed: 42,
    onProgress: (p) =>
      console.error(
        `  ${run.dataset} ${p.algorithm} fold ${p.fold}: ${p.done}/${p.total}, ${p.elapsedSeconds.toFixed(0)} s elapsed, ~${p.remainingSeconds.toFixed(0)} s left`,
      ),
  });
  outcomes.push({ run, description: data.description, algorithms: chosen, skipped, result });
  if (run.dataset === "ml-100k") {
    writeReport(`${RESULTS_DIR}accuracy-ml-100k.html`, result, {
      title: "Kindred accuracy on ml-100k (official folds)",
      data: data.description,
      split: run.split,
      command: currentCommand(),
    });
  }
}

const f = (v: number | undefined, d = 4): string => (v === undefined || !Number.isFinite(v) ? "–" : v.toFixed(d));
const pm = (mean: number | undefined, std: number | undefined): string =>
  mean === undefined || !Number.isFinite(mean) ? "–" : `${f(mean)} ± ${f(std, 3)}`;

const sections = outcomes.map(({ run, description, skipped, result }) => {
  const rating = markdownTable(
    ["algorithm", "RMSE", "MAE", "unscorable", "fit s", "predict s", "peak MB"],
    result.results.map((r) => [
      r.algorithm,
      pm(r.spread.rmse?.mean, r.spread.rmse?.std),
      pm(r.spread.mae?.mean, r.spread.mae?.std),
      f(r.metrics.unscorable),
      f(r.fitSeconds, 2),
      f(r.predictSeconds, 2),
      r.peakMemoryMB.toFixed(0),
    ]),
  );
  const ranking = markdownTable(
    ["algorithm", "NDCG@10", "P@10", "R@10", "MAP@10", "MRR@10", "hit@10", "coverage", "novelty", "personal."],
    result.results.map((r) => [
      r.algorithm,
      pm(r.spread.ndcg?.mean, r.spread.ndcg?.std),
      f(r.metrics.precision),
      f(r.metrics.recall),
      f(r.metrics.map),
      f(r.metrics.mrr),
      f(r.metrics.hitRate),
      f(r.metrics.coverage),
      f(r.metrics.novelty, 2),
      f(r.metrics.personalisation),
    ]),
  );
  const skippedText = Object.entries(skipped).map(([a, why]) => `- ${a} not run here: ${why}`);
  return [
    `## ${run.dataset} (${run.note})`,
    "",
    `${description}; ${result.folds.length} folds; ${result.seconds.toFixed(0)} s for the whole evaluation.`,
    "",
    "Rating prediction (mean ± std across folds; seconds are per fold):",
    "",
    rating,
    "",
    "Top-10 ranking of the full catalogue minus each customer's training items, every held-out rating relevant (mean over customers, then folds):",
    "",
    ranking,
    ...(skippedText.length > 0 ? ["", ...skippedText] : []),
  ].join("\n");
});

const markdown = [
  "# Accuracy of every registered algorithm",
  "",
  "Through the same harness as `kindred evaluate` (src/eval): each algorithm fitted once per fold with its",
  "default parameters, in worker threads (one per core); `peak MB` is the evaluating thread's peak heap +",
  "typed arrays during a fold (dataset included).",
  "",
  ...sections.flatMap((s) => [s, ""]),
  "## Published reference numbers (ml-100k, 5-fold; from ../shared/data/README.md)",
  "",
  "RMSE: Surprise 1.1.4 SVD++ 0.919, KNNBaseline 0.931, SVD 0.934, BaselineOnly 0.944; MyMediaLite",
  "BiasedMatrixFactorization (160 factors) 0.9107. NDCG@10 with every rating a positive, ranking all",
  "unrated items (Gorse, 2020): ItemPop 0.218, item-kNN 0.347, BPR 0.376, WRMF 0.416.",
  "",
  `Plots (each metric with its fold spread, accuracy against fit time, the learning-relationship curve): accuracy-ml-100k.html.`,
  `Whole script: ${((performance.now() - t0) / 1000).toFixed(0)} s; process peak RSS ${peakRssMB().toFixed(0)} MB.`,
].join("\n");

const data = outcomes.map(({ run, description, skipped, result }) => ({
  dataset: run.dataset,
  split: run.split,
  description,
  skipped,
  ...result,
}));
const written = writeResults("accuracy", { data, markdown, machine: started });
console.error(`wrote ${written.md}`);
