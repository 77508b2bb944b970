/**
 * kindred tune ALGORITHM: random or TPE search over the algorithm's declared
 * search space, cross-validated on the training part only (src/eval/tune.ts).
 * Prints the best parameters; --db writes them to the db's setting
 * `params.<algorithm>` (the engine and recommend pick them up), --out FILE
 * to a JSON file that `kindred evaluate --params FILE` reads.
 */
import { InvalidArgumentError } from "commander";
import { type MetricName, metricInfo } from "../../eval/metrics/index.js";
import { parseParams, writeParamsFile } from "../../eval/params.js";
import { openExistingStore } from "../../eval/source.js";
import { type TuneResult, tune } from "../../eval/tune.js";
import { type CliCommand, intArg, jsonOption, numberArg } from "../cli.js";
import { type DataFlags, loadData } from "./evaluate.js";

interface TuneFlags extends DataFlags {
  split: string;
  inner: string;
  trials: number;
  method: "random" | "tpe";
  metric?: string;
  k: number;
  relevant?: number;
  seed: number;
  params?: string;
  out?: string;
  workers?: number;
  json?: boolean;
}

function methodArg(text: string): "random" | "tpe" {
  if (text !== "random" && text !== "tpe") throw new InvalidArgumentError("--method must be random or tpe");
  return text;
}

function render(result: TuneResult, written: string[]): string {
  const value = (v: number): string => (Number.isFinite(v) ? v.toFixed(4) : "–");
  const better = result.higherIsBetter ? "higher is better" : "lower is better";
  const lines = [
    `${result.algorithm}: ${result.trials.length} ${result.method} trials on ${result.inner} of fold ${result.outer.fold}'s training part (${result.split}), ${result.metric} (${better})`,
    `best ${result.metric} in tuning: ${value(result.best.value)}`,
    `on fold ${result.outer.fold}'s held-out events: tuned ${value(result.outer.best)}, starting config ${value(result.outer.defaults)}`,
    `best parameters: ${JSON.stringify(result.best.params)}`,
    ...written,
  ];
  return `${lines.join("\n")}\n`;
}

export const command: CliCommand = {
  register(program, cli) {
    const c = program
      .command("tune <algorithm>")
      .description("search an algorithm's parameters (random or TPE), cross-validated on training data only")
      .option("--data <path>", "a dataset folder or file, read in memory (default: the events of --db)")
      .option("--db <path>", "a Kindred db: the data when --data is absent; the best parameters are saved in it")
      .option("--format <format>", "force the --data format: csv, jsonl or movielens")
      .option("--split <spec>", "outer split; tuning sees only its first fold's training part", "kfold:5")
      .option("--inner <spec>", "split of that training part into tuning folds", "kfold:3")
      .option("--trials <n>", "parameter settings to try", intArg("--trials", 1, 10_000), 30)
      .option("--method <method>", "random or tpe", methodArg, "tpe")
      .option("--metric <name>", "what to optimise (default: rmse for rating models, ndcg for ranking models)")
      .option("--k <n>", "list length of ranking metrics", intArg("--k", 1, 1000), 10)
      .option("--relevant <rating>", "a held-out rating counts as relevant from this value", numberArg("--relevant"))
      .option("--seed <n>", "seed of every random choice", intArg("--seed", 0, 2 ** 31 - 1), 42)
      .option("--params <json|file>", "fixed parameters under the searched ones")
      .option("--out <file>", "write the best parameters into this JSON file (read by evaluate --params)")
      .option("--workers <n>", "worker threads (default 2; 0 = in-process)", intArg("--workers", 0, 64));
    jsonOption(c);
    c.action(async (algorithm: string, flags: TuneFlags) => {
      const { registry } = await import("../../algorithms/index.js");
      registry.get(algorithm);
      const metric = flags.metric === undefined ? undefined : (metricInfo(flags.metric).name as MetricName);
      const base = flags.params === undefined ? undefined : parseParams(flags.params)[algorithm];
      const data = await loadData(cli, flags);
      if (!flags.json) cli.log(`${data.description}; tuning ${algorithm}`);
      const result = await tune(data.log, {
        algorithm,
        split: flags.split,
        inner: flags.inner,
        trials: flags.trials,
        method: flags.method,
        ...(metric ? { metric } : {}),
        k: flags.k,
        relevant: flags.relevant,
        seed: flags.seed,
        ...(base ? { baseParams: base } : {}),
        ...(data.source ? { source: data.source } : {}),
        scale: data.scale,
        ...(flags.workers !== undefined ? { workers: flags.workers } : {}),
        onTrial: (trial, t, total) => {
          if (cli.io.stderrIsTTY) {
            cli.io.stderr(`\r\x1b[Ktrial ${t + 1}/${total}: ${metric ?? "score"} ${trial.value.toFixed(4)}`);
          }
        },
      });
      if (cli.io.stderrIsTTY) cli.io.stderr("\r\x1b[K");
      const written: string[] = [];
      if (flags.out !== undefined) {
        writeParamsFile(flags.out, algorithm, result.best.params);
        written.push(`written to ${flags.out} (use: kindred evaluate --params ${flags.out})`);
      }
      if (flags.db !== undefined) {
        const store = await openExistingStore(flags.db);
        try {
          await store.setSetting(`params.${algorithm}`, result.best.params);
        } finally {
          await store.close();
        }
        written.push(`saved in ${flags.db} as setting params.${algorithm}`);
      }
      cli.print(flags, result, () => render(result, written));
    });
  },
};
