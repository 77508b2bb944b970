/** kindred rate CUSTOMER ITEM VALUE: remember a rating; the next answers reflect it at once (no refit). */
import { Argument } from "commander";
import { type CliCommand, type CommonOptions, dbOption, jsonOption, numberArg, requireItems } from "../cli.js";

export const command: CliCommand = {
  register(program, cli) {
    const c = program
      .command("rate")
      .description("remember a customer's rating of an item (a new customer is created; the item must be known)")
      .argument("<customer>", "the customer's id")
      .argument("<item>", "the item's id")
      .addArgument(new Argument("<value>", "the rating, on the item's domain scale").argParser(numberArg("value")))
      .option("--channel <name>", "where the rating was given", "cli");
    jsonOption(dbOption(c));
    c.action((customer: string, item: string, value: number, flags: CommonOptions & { channel: string }) =>
      cli.with(flags, false, async (kindred) => {
        await requireItems(kindred.store, [item]);
        const result = await kindred.rate(customer, item, value, { channel: flags.channel });
        const title = (await kindred.store.getItem(item))?.title;
        const out = { customer, item, value, channel: flags.channel, appended: result.appended, seq: result.lastSeq };
        cli.print(
          flags,
          out,
          () =>
            `Remembered: customer ${customer} rated ${title ?? item} [${item}] ${value} (channel ${flags.channel}).\n`,
        );
      }),
    );
  },
};
