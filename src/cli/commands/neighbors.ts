/** kindred neighbors CUSTOMER: the customers whose tastes are closest (similarity, items rated in common). */
import type { NeighborsResult } from "../../engine/types.js";
import type { Store } from "../../storage/store.js";
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

/** Customers' names (attributes.name) where the store knows them. */
export async function customerNames(store: Store, ids: readonly string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const id of ids) {
    const name = (await store.getCustomer(id))?.attributes.name;
    if (typeof name === "string") names.set(id, name);
  }
  return names;
}

export function renderNeighbors(result: NeighborsResult, names: Map<string, string>): string {
  if (result.neighbors.length === 0) return `No taste neighbours found for customer ${result.customer}.\n`;
  const named = names.size > 0;
  const header = named ? ["customer", "name", "similarity", "overlap"] : ["customer", "similarity", "overlap"];
  const rows = result.neighbors.map((n) => [
    n.customer,
    ...(named ? [clip(names.get(n.customer) ?? "", 32)] : []),
    num(n.similarity, 3),
    String(n.overlap),
  ]);
  const align = named ? (["left", "left", "right", "right"] as const) : (["left", "right", "right"] as const);
  return `Taste neighbours of customer ${result.customer}:\n${table(header, rows, align)}`;
}

export const command: CliCommand = {
  register(program, cli) {
    const c = program
      .command("neighbors <customer>")
      .alias("neighbours")
      .description("the customers whose tastes are closest: similarity and how many items they rated in common")
      .option("-k, --k <count>", "how many neighbours", intArg("--k", 1, 1000), 10);
    jsonOption(dbOption(algorithmOption(c, "the user-based model (default: user-knn)")));
    c.action((customer: string, flags: CommonOptions & { k: number }) =>
      cli.with(flags, false, async (kindred) => {
        await requireCustomer(kindred.store, customer);
        const result = await kindred.neighbors(customer, {
          k: flags.k,
          ...(flags.algorithm !== undefined && { algorithm: flags.algorithm }),
        });
        const names = flags.json
          ? new Map<string, string>()
          : await customerNames(
              kindred.store,
              result.neighbors.map((n) => n.customer),
            );
        cli.print(flags, result, () => renderNeighbors(result, names));
      }),
    );
  },
};
