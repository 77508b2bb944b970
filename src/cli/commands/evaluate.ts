/**
 * kindred evaluate: cross-validates algorithms on a dataset (--data, read in
 * memory) or on the events of a Kindred db, and prints mean ± std across
 * folds, fit/predict seconds and peak memory; --json for the numbers,
 * --report FILE.html for the plots. The work is in src/eval/.
 */
import { InvalidArgumentError } from "commander";
import { ValidationError } from "../../core/errors.js";
import { type MetricName, parseMetrics } from "../../eval/metrics/index.js";
import { parseParams } from "../../eval/params.js";
import { writeReport } from "../../eval/report/html.js";
import { formatTable } from "../../eval/report/table.js";
import { type EvaluationResult, evaluate, type Progress } from "../../eval/run.js";
import { type DataFormat, type EvalData, loadDataPath, loadStore, openExistingStore } from "../../eval/source.js";
import { splitLog } from "../../eval/splits/index.js";
import type { EvalTask } from "../../eval/types.js";
import { type Cli, type CliCommand, intArg, jsonOption, numberArg } from "../cli.js";

export interface DataFlags {
  data?: string;
  db?: string;
  format?: DataFormat;
}

interface EvaluateFlags extends DataFlags {
  split: string;
  seed: number;
  algorithms?: string;
  task: EvalTask;
  k: number;
  relevant?: number;
  params?: string;
  metrics?: string;
  report?: string;
  workers?: number;
  json?: boolean;
}

/** --data PATH (read in memory), else the events of --db (default $KINDRED_DB or ./kindred.db). */
export async function loadData(cli: Cli, flags: DataFlags): Promise<EvalData> {
  if (flags.data !== undefined) return loadDataPath(flags.data, flags.format);
  const store = await openExistingStore(cli.dbTarget(flags));
  try {
    return await loadStore(store);
  } finally {
    await store.close();
  }
}

/** A status line on a terminal: which algorithm and fold finished, elapsed and remaining time. */
export function progressLine(cli: Cli): { update: (p: Progress) => void; stop: () => void } {
  if (!cli.io.stderrIsTTY) return { update() {}, stop() {} };
  const clock = (s: number): string =>
    Number.isFinite(s) ? `${Math.floor(s / 60)}:${String(Math.round(s % 60)).padStart(2, "0")}` : "?";
  return {
    update(p) {
      cli.io.stderr(
        `\r\x1b[K${p.algorithm} fold ${p.fold} done · ${p.done}/${p.total} fits · ${clock(p.elapsedSeconds)} elapsed · ~${clock(p.remainingSeconds)} left`,
      );
    },
    stop() {
      cli.io.stderr("\r\x1b[K");
    },
  };
}

function taskArg(text: string): EvalTask {
  if (text !== "rating" && text !== "ranking" && text !== "both") {
    throw new InvalidArgumentError("--task must be rating, ranking or both");
  }
  return text;
}

function formatArg(text: string): DataFormat {
  if (text !== "csv" && text !== "jsonl" && text !== "movielens") {
    throw new InvalidArgumentError("--format must be csv, jsonl or movielens");
  }
  return text;
}

/** The command as typed, for reports: `kindred evaluate --data … --split …`. */
function commandLine(flags: EvaluateFlags): string {
  const parts = ["kindred evaluate"];
  const add = (name: string, value: unknown): void => {
    if (value !== undefined && value !== false) parts.push(value === true ? `--${name}` : `--${name} ${String(value)}`);
  };
  add("data", flags.data);
  if (flags.data === undefined) add("db", flags.db);
  add("format", flags.format);
  add("split", flags.split);
  add("seed", flags.seed);
  add("algorithms", flags.algorithms);
  add("task", flags.task);
  add("k", flags.k);
  add("relevant", flags.relevant);
  add("params", flags.params);
  add("report", flags.report);
  return parts.join(" ");
}

export async function runEvaluate(cli: Cli, flags: EvaluateFlags): Promise<EvaluationResult> {
  const metrics: MetricName[] | undefined = flags.metrics === undefined ? undefined : parseMetrics(flags.metrics);
  const params = flags.params === undefined ? {} : parseParams(flags.params);
  const { registry } = await import("../../algorithms/index.js");
  const algorithms =
    flags.algorithms === undefined
      ? registry.kinds()
      : flags.algorithms
          .split(",")
          .map((a) => a.trim())
          .filter((a) => a.length > 0);
  if (algorithms.length === 0) throw new ValidationError("algorithms", "lists no algorithm");
  for (const a of algorithms) registry.get(a); // unknown names fail before any data is read
  const data = await loadData(cli, flags);
  const folds = splitLog(data.log, flags.split, { seed: flags.seed, source: data.source, scale: data.scale });
  if (!flags.json) cli.log(`${data.description}; split ${flags.split}: ${folds.length} fold(s)`);
  const progress = progressLine(cli);
  let result: EvaluationResult;
  try {
    result = await evaluate(folds, {
      algorithms,
      params,
      task: flags.task,
      k: flags.k,
      relevant: flags.relevant,
      seed: flags.seed,
      ...(flags.workers !== undefined ? { workers: flags.workers } : {}),
      onProgress: (p) => progress.update(p),
    });
  } finally {
    progress.stop();
  }
  if (flags.report !== undefined) {
    writeReport(
      flags.report,
      result,
      { data: data.description, split: flags.split, command: commandLine(flags) },
      metrics,
    );
    if (!flags.json) cli.log(`report written to ${flags.report}`);
  }
  cli.print(
    flags,
    { data: data.description, split: flags.split, ...result },
    () => `${formatTable(result, metrics)}\n`,
  );
  return result;
}

export const command: CliCommand = {
  register(program, cli) {
    const c = program
      .command("evaluate")
      .description("cross-validate algorithms: accuracy (RMSE, MAE) and top-k ranking on held-out events")
      .option("--data <path>", "a dataset folder or file, read in memory (MovieLens, CSV, JSONL); no db is touched")
      .option("--db <path>", "evaluate on the events of this Kindred db (default: $KINDRED_DB or ./kindred.db)")
      .option("--format <format>", "force the --data format: csv, jsonl or movielens", formatArg)
      .option("--split <spec>", "official | kfold:K | holdout:F | per-user:N | temporal:F | last:N", "kfold:5")
      .option("--seed <n>", "seed of every random choice", intArg("--seed", 0, 2 ** 31 - 1), 42)
      .option("--algorithms <list>", "comma-separated algorithms (default: every registered one)")
      .option("--task <task>", "rating, ranking or both", taskArg, "both")
      .option("--k <n>", "list length of the ranking metrics", intArg("--k", 1, 1000), 10)
      .option(
        "--relevant <rating>",
        "a held-out rating counts as relevant from this value (default: every one)",
        numberArg("--relevant"),
      )
      .option("--params <json|file>", 'per-algorithm parameters: \'{"user-knn": {"k": 40}}\' or a JSON file')
      .option(
        "--metrics <list>",
        "show only these metrics (rmse, mae, unscorable, precision, recall, ndcg, map, mrr, hitRate, coverage, novelty, personalisation)",
      )
      .option("--report <file.html>", "write a self-contained HTML report with plots")
      .option("--workers <n>", "worker threads (default: one per core; 0 = in-process)", intArg("--workers", 0, 64));
    jsonOption(c);
    c.action(async (flags: EvaluateFlags) => {
      await runEvaluate(cli, flags);
    });
  },
};
