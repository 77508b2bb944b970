/** kindred train [ALGORITHM]: fit a model on the db's current data, save it and make it active. */
import { ValidationError } from "../../core/errors.js";
import { resolveOptions } from "../../engine/config.js";
import type { ModelInfo } from "../../storage/store.js";
import { type CliCommand, type CommonOptions, dbOption, jsonOption } from "../cli.js";
import { count } from "../format.js";

function parseParams(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ValidationError("params", `is not JSON (${(error as Error).message})`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ValidationError("params", 'must be a JSON object, e.g. {"k": 30}');
  }
  return value as Record<string, unknown>;
}

function render(models: ModelInfo[], seconds: number[]): string {
  return models
    .map((m, k) => {
      const size =
        m.bytes >= 1 << 20 ? `${(m.bytes / (1 << 20)).toFixed(1)} MB` : `${count(Math.ceil(m.bytes / 1024))} KB`;
      return `Trained ${m.kind} in ${seconds[k]!.toFixed(2)} s on events through #${count(m.trainedThroughSeq)}: model ${m.id}, ${size}, active.\n`;
    })
    .join("");
}

export const command: CliCommand = {
  register(program, cli) {
    const c = program
      .command("train [algorithm]")
      .description(
        `fit a model (popular, baseline, user-knn, item-knn, ...) on the current data and make it active; without an algorithm: the default chain (${resolveOptions().chain.join(", ")})`,
      )
      .option(
        "--params <json>",
        "config of this fit as a JSON object, e.g. '{\"k\": 30}' (default: tuned or defaults)",
      );
    jsonOption(dbOption(c));
    c.action((algorithm: string | undefined, flags: CommonOptions & { params?: string }) =>
      cli.with(flags, false, async (kindred) => {
        const params = parseParams(flags.params);
        const kinds = algorithm !== undefined ? [algorithm] : [...resolveOptions().chain];
        const models: ModelInfo[] = [];
        const seconds: number[] = [];
        for (const kind of kinds) {
          cli.log(`training ${kind} ...`);
          const t0 = performance.now();
          let epochs = false;
          models.push(
            await kindred.train(kind, {
              ...(params !== undefined && { params }),
              onEpoch: (p) => {
                if (!cli.io.stderrIsTTY) return;
                epochs = true;
                cli.io.stderr(
                  `\r  epoch ${p.epoch}/${p.epochs}${p.loss !== undefined ? ` loss ${p.loss.toFixed(4)}` : ""}`,
                );
              },
            }),
          );
          if (epochs) cli.io.stderr("\n");
          seconds.push((performance.now() - t0) / 1000);
        }
        cli.print(flags, algorithm !== undefined ? models[0] : { models }, () => render(models, seconds));
      }),
    );
  },
};
