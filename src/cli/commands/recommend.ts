/** kindred recommend CUSTOMER: the top items for a customer from the community, optionally with why. */
import type { RecommendResult } from "../../engine/types.js";
import {
  algorithmOption,
  type CliCommand,
  type CommonOptions,
  dbOption,
  intArg,
  jsonOption,
  requireCustomer,
} from "../cli.js";
import { clip, num, table } from "../format.js";

interface Flags extends CommonOptions {
  n: number;
  explain?: boolean;
  domain?: string;
  category?: string;
  includeSeen?: boolean;
}

export function renderRecommendations(result: RecommendResult, explain: boolean, heading?: string): string {
  if (result.items.length === 0) return `No recommendations for customer ${result.customer}.\n`;
  const rows = result.items.map((r, k) => [String(k + 1), r.item, clip(r.title, 56), num(r.score)]);
  const head = `${heading ?? `Recommended for customer ${result.customer}`} (${result.algorithm}):\n`;
  if (!explain) return head + table(["#", "item", "title", "score"], rows, ["right", "left", "left", "right"]);
  const lines = result.items.map(
    (r, k) =>
      `${String(k + 1).padStart(2)}. ${r.title ?? r.item} [${r.item}]  ${num(r.score)}\n` +
      (r.explanation ? `    ${r.explanation.text} (${r.explanation.algorithm})\n` : ""),
  );
  return head + lines.join("");
}

export const command: CliCommand = {
  register(program, cli) {
    const c = program
      .command("recommend <customer>")
      .description("the items the community suggests for a customer, best first")
      .option("-n, --n <count>", "how many items", intArg("--n", 1, 1000), 10)
      .option("--explain", "say why each item is recommended")
      .option("--domain <name>", "only items of this domain (e.g. movies, music, shoes)")
      .option("--category <name>", "only items of this category (a genre, a style)")
      .option("--include-seen", "also items the customer already rated or bought");
    jsonOption(
      dbOption(algorithmOption(c, "the model to ask first (default: the engine chain ials → item-cf → popular)")),
    );
    c.action((customer: string, flags: Flags) =>
      cli.with(flags, false, async (kindred) => {
        await requireCustomer(kindred.store, customer);
        const result = await kindred.recommend(customer, {
          n: flags.n,
          explain: flags.explain === true,
          ...(flags.algorithm !== undefined && { algorithm: flags.algorithm }),
          ...(flags.domain !== undefined && { domain: flags.domain }),
          ...(flags.category !== undefined && { category: flags.category }),
          ...(flags.includeSeen && { includeSeen: true }),
        });
        cli.print(flags, result, () => renderRecommendations(result, flags.explain === true));
      }),
    );
  },
};
