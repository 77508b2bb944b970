/** kindred customer CUSTOMER: everything remembered about a customer. */
import type { CustomerMemory } from "../../engine/types.js";
import { type CliCommand, type CommonOptions, dbOption, intArg, jsonOption, requireCustomer } from "../cli.js";
import { clip, count, num, table } from "../format.js";

const pairs = (record: Readonly<Record<string, unknown>>): string =>
  Object.entries(record)
    .map(([k, v]) => `${k} ${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(", ") || "-";

function render(m: CustomerMemory, limit: number): string {
  const name = typeof m.customer.attributes.name === "string" ? ` (${m.customer.attributes.name})` : "";
  const lines = [
    `Customer ${m.customer.id}${name}`,
    `  attributes  ${pairs(m.customer.attributes)}`,
    `  specs       ${pairs(m.customer.specs)}`,
    `  since       ${new Date(m.customer.createdAt).toISOString().slice(0, 10)}`,
    `  purchases   ${count(m.purchases.count)} (${count(m.purchases.quantity)} units, ${num(m.purchases.amount)} spent)`,
    `  channels    ${pairs(m.channels)}`,
    `  ratings     ${count(m.ratings.length)} current${m.ratings.length > limit ? `, the ${limit} latest:` : ":"}`,
  ];
  const rows = m.ratings
    .slice(0, limit)
    .map((r) => [
      r.item,
      clip(r.title, 56),
      num(r.value, 1),
      new Date(r.timestamp).toISOString().slice(0, 10),
      r.channel,
    ]);
  return `${lines.join("\n")}\n${rows.length > 0 ? table(["item", "title", "rating", "date", "channel"], rows, ["left", "left", "right"]) : ""}`;
}

export const command: CliCommand = {
  register(program, cli) {
    const c = program
      .command("customer <customer>")
      .description("everything remembered about a customer: attributes, specs, ratings, purchases, channels")
      .option("--limit <count>", "ratings to list (human output)", intArg("--limit", 1, 100_000), 20);
    jsonOption(dbOption(c));
    c.action((customer: string, flags: CommonOptions & { limit: number }) =>
      cli.with(flags, false, async (kindred) => {
        await requireCustomer(kindred.store, customer);
        const memory = await kindred.memory(customer);
        cli.print(flags, memory, () => render(memory, flags.limit));
      }),
    );
  },
};
