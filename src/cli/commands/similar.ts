/** kindred similar ITEM: the items most like an item. */
import type { SimilarResult } from "../../engine/types.js";
import {
  algorithmOption,
  type CliCommand,
  type CommonOptions,
  dbOption,
  intArg,
  jsonOption,
  requireItems,
} from "../cli.js";
import { clip, num, table } from "../format.js";

function render(result: SimilarResult, title: string | null): string {
  if (result.items.length === 0) return `No similar items found for item ${result.item}.\n`;
  const rows = result.items.map((i) => [i.item, clip(i.title, 56), num(i.similarity, 3)]);
  return (
    `Items most like ${title ?? result.item} [${result.item}]:\n` +
    table(["item", "title", "similarity"], rows, ["left", "left", "right"])
  );
}

export const command: CliCommand = {
  register(program, cli) {
    const c = program
      .command("similar <item>")
      .description("the items most like an item (customers who rated one rated the other alike)")
      .option("-k, --k <count>", "how many items", intArg("--k", 1, 1000), 10);
    jsonOption(dbOption(algorithmOption(c, "the item-based model (default: item-knn)")));
    c.action((item: string, flags: CommonOptions & { k: number }) =>
      cli.with(flags, false, async (kindred) => {
        await requireItems(kindred.store, [item]);
        const result = await kindred.similar(item, {
          k: flags.k,
          ...(flags.algorithm !== undefined && { algorithm: flags.algorithm }),
        });
        const title = (await kindred.store.getItem(item))?.title ?? null;
        cli.print(flags, result, () => render(result, title));
      }),
    );
  },
};
