/**
 * kindred import movielens PATH | csv FILE | jsonl FILE
 * Streams the files into the db in transactions of ~10k events; bad lines are
 * reported with their line numbers and skipped; a re-import adds nothing.
 */
import { type Command, InvalidArgumentError } from "commander";
import type { RatingScale } from "../../core/types.js";
import { EVENT_COLUMNS, ITEM_COLUMNS, importInto } from "../../importers/index.js";
import type { ImportFormat, ImportOptions, ImportReport } from "../../importers/types.js";
import { type Cli, type CliCommand, type CommonOptions, dbOption, jsonOption } from "../cli.js";
import { count } from "../format.js";

interface ImportFlags extends CommonOptions {
  items?: string;
  domain?: string;
  scale?: RatingScale;
  channel?: string;
}

function scaleArg(text: string): RatingScale {
  const parts = text.split(":").map(Number);
  const [min, max, step = 1] = parts;
  if (parts.length < 2 || parts.length > 3 || !parts.every(Number.isFinite) || max! <= min! || step <= 0) {
    throw new InvalidArgumentError(
      "the scale is MIN:MAX or MIN:MAX:STEP with MAX > MIN and STEP > 0, e.g. 1:5 or 0.5:5:0.5",
    );
  }
  return { min: min!, max: max!, step };
}

async function run(cli: Cli, format: ImportFormat, path: string, flags: ImportFlags): Promise<void> {
  const target = cli.dbTarget(flags);
  const bar = cli.progress(`importing ${path}`);
  const options: ImportOptions = {
    format,
    ...(flags.items !== undefined && { items: flags.items }),
    ...(flags.domain !== undefined && { domain: flags.domain }),
    ...(flags.scale !== undefined && { scale: flags.scale }),
    ...(flags.channel !== undefined && { channel: flags.channel }),
    onProgress: (done, total) => bar.update(done, total),
  };
  let report: ImportReport;
  try {
    report = await cli.with(flags, true, (kindred) => importInto(kindred.store, path, options));
  } finally {
    bar.stop();
  }
  const { imported, rejected, ...rest } = report;
  cli.print(flags, { imported, rejected, ...rest }, () => render(report, path, target));
}

function render(r: ImportReport, path: string, target: string): string {
  const rate = r.seconds > 0 ? ` (${count(Math.round(r.imported.events / r.seconds))} events/s)` : "";
  const lines = [
    `Imported ${r.source} from ${path} into ${target} in ${r.seconds.toFixed(2)} s${rate}`,
    `  ratings    ${count(r.imported.ratings).padStart(10)}`,
    `  events     ${count(r.imported.events).padStart(10)}  (${count(r.stored)} new, ${count(r.duplicates)} already in the db)`,
    `  items      ${count(r.imported.items).padStart(10)}`,
    `  customers  ${count(r.imported.customers).padStart(10)}`,
  ];
  if (r.ignoredColumns.length > 0) lines.push(`Ignored columns: ${r.ignoredColumns.join(", ")}`);
  if (r.rejectedTotal > 0) {
    lines.push(`Rejected ${count(r.rejectedTotal)} line${r.rejectedTotal === 1 ? "" : "s"} (skipped):`);
    for (const x of r.rejected) lines.push(`  ${x.file}:${x.line}  ${x.reason}`);
    if (r.rejectedTotal > r.rejected.length) lines.push(`  ... and ${count(r.rejectedTotal - r.rejected.length)} more`);
  }
  return `${lines.join("\n")}\n`;
}

function common(command: Command): Command {
  return jsonOption(dbOption(command));
}

function catalogueOptions(command: Command): Command {
  return command
    .option(
      "--items <file>",
      `an items CSV with a header: ${ITEM_COLUMNS.join(", ")} (categories |-separated; other columns become attributes)`,
    )
    .option("--domain <name>", "the domain of items that name none (default: default)")
    .option(
      "--scale <min:max[:step]>",
      "the rating scale of domains this import creates, e.g. 1:5 or 0.5:5:0.5 (default 1:5)",
      scaleArg,
    )
    .option("--channel <name>", "channel of events that name none (default: import)");
}

export const command: CliCommand = {
  register(program, cli) {
    const group = program
      .command("import")
      .description("import customers, items and events from MovieLens, CSV or JSONL files")
      .addHelpText(
        "after",
        "\nEvery bad line is reported with its line number and skipped; the rest is imported.\n" +
          "Re-importing the same file adds nothing (each event has a deterministic id).",
      );
    common(
      group
        .command("movielens <path>")
        .description(
          "a MovieLens folder: ml-100k (u.data, u.item, u.user), ml-1m (*.dat) or ml-latest (*.csv), detected from its files",
        ),
    ).action((path: string, flags: ImportFlags) => run(cli, "movielens", path, flags));
    catalogueOptions(
      common(
        group
          .command("csv <file>")
          .description(
            `a CSV of events with a header; columns: ${EVENT_COLUMNS.join(", ")} (customer and item required)`,
          )
          .addHelpText(
            "after",
            "\ntype: rating | purchase | view | like | dislike (default: rating when value is set, else purchase)\n" +
              "timestamp: ms since the epoch or ISO 8601 (default: now); event_id: default a hash of the line",
          ),
      ),
    ).action((file: string, flags: ImportFlags) => run(cli, "csv", file, flags));
    catalogueOptions(
      common(
        group
          .command("jsonl <file>")
          .description(
            'a JSONL file of events, one object per line: {"customer","item","type","value"?,"quantity"?,"amount"?,"timestamp"?,"channel"?,"eventId"?}',
          ),
      ),
    ).action((file: string, flags: ImportFlags) => run(cli, "jsonl", file, flags));
  },
};
