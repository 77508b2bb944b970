/** kindred predict CUSTOMER ITEM...: predicted ratings on each item's domain scale. */
import type { PredictResult } from "../../engine/types.js";
import {
  algorithmOption,
  type CliCommand,
  type CommonOptions,
  dbOption,
  jsonOption,
  requireCustomer,
  requireItems,
} from "../cli.js";
import { clip, num, table } from "../format.js";

function render(result: PredictResult, titles: Map<string, string | null>): string {
  const rows = result.predictions.map((p) => [
    p.item,
    clip(titles.get(p.item) ?? "", 56),
    num(p.score),
    p.algorithm ?? "-",
  ]);
  return (
    `Predicted ratings for customer ${result.customer}:\n` +
    table(["item", "title", "score", "model"], rows, ["left", "left", "right", "left"])
  );
}

export const command: CliCommand = {
  register(program, cli) {
    const c = program
      .command("predict <customer> <items...>")
      .description("predict the customer's rating of each item (on the item's domain scale; - when no model can)");
    jsonOption(dbOption(algorithmOption(c, "the model to ask first (default: the fallback chain)")));
    c.action((customer: string, items: string[], flags: CommonOptions) =>
      cli.with(flags, false, async (kindred) => {
        await requireCustomer(kindred.store, customer);
        await requireItems(kindred.store, items);
        const options = flags.algorithm !== undefined ? { algorithm: flags.algorithm } : {};
        const result = await kindred.predict(customer, items, options);
        const titles = new Map((await kindred.store.getItems(items)).map((i) => [i.id, i.title] as const));
        cli.print(flags, result, () => render(result, titles));
      }),
    );
  },
};
