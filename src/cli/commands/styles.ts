/** kindred styles CUSTOMER: the categories (genres, styles) the customer would like, by predicted affinity. */
import type { StylesResult } from "../../engine/types.js";
import { algorithmOption, type CliCommand, type CommonOptions, dbOption, jsonOption, requireCustomer } from "../cli.js";
import { num, table } from "../format.js";

export function renderStyles(result: StylesResult, domain?: string): string {
  if (result.styles.length === 0) return `No styles to suggest for customer ${result.customer}.\n`;
  const rows = result.styles.map((s) => [s.category, num(s.affinity), String(s.rated), num(s.ratedMean)]);
  return (
    `Styles customer ${result.customer} would like${domain ? ` in ${domain}` : ""} (predicted rating of unrated items):\n` +
    table(["style", "affinity", "rated", "their mean"], rows, ["left", "right", "right", "right"])
  );
}

export const command: CliCommand = {
  register(program, cli) {
    const c = program
      .command("styles <customer>")
      .description("the categories (genres, styles) a customer would like, by predicted affinity")
      .option("--domain <name>", "only categories of this domain");
    jsonOption(dbOption(algorithmOption(c, "the model that predicts (default: the fallback chain)")));
    c.action((customer: string, flags: CommonOptions & { domain?: string }) =>
      cli.with(flags, false, async (kindred) => {
        await requireCustomer(kindred.store, customer);
        const result = await kindred.styles(customer, {
          ...(flags.domain !== undefined && { domain: flags.domain }),
          ...(flags.algorithm !== undefined && { algorithm: flags.algorithm }),
        });
        cli.print(flags, result, () => renderStyles(result, flags.domain));
      }),
    );
  },
};
