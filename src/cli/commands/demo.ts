/**
 * kindred demo: an offline demo community (music and shoes, a few thousand
 * customers in taste groups). On an empty db it is generated and the models
 * fitted; then, for a sample customer: recommendations with explanations,
 * taste neighbours and the styles they would like.
 */
import { ensureDemoCommunity, ensureDemoModels, sampleCustomer } from "../../demo/index.js";
import type { Kindred } from "../../kindred.js";
import { loadConfig } from "../../service/config.js";
import { type Cli, type CliCommand, type CommonOptions, intArg, jsonOption, requireCustomer } from "../cli.js";
import { count } from "../format.js";
import { customerNames, renderNeighbors } from "./neighbors.js";
import { renderRecommendations } from "./recommend.js";
import { serveUntilSignal } from "./serve.js";
import { renderStyles } from "./styles.js";

export const DEMO_DB = "kindred-demo.db";

interface Flags extends CommonOptions {
  customer?: string;
  serve?: boolean;
  port?: number;
  seed?: number;
  customers?: number;
  n: number;
}

async function show(cli: Cli, kindred: Kindred, flags: Flags, target: string, generated: boolean): Promise<void> {
  const store = kindred.store;
  const id = flags.customer ?? (await sampleCustomer(store));
  await requireCustomer(store, id);
  const customer = (await store.getCustomer(id))!;
  const name = typeof customer.attributes.name === "string" ? customer.attributes.name : id;
  const first = name.split(" ")[0];
  const algorithm = flags.algorithm ?? "user-knn";
  const memory = await kindred.memory(id);
  const music = await kindred.recommend(id, { n: flags.n, algorithm, domain: "music" });
  const shoes = await kindred.recommend(id, { n: flags.n, algorithm, domain: "shoes" });
  const neighbors = await kindred.neighbors(id, { k: 5 });
  const musicStyles = await kindred.styles(id, { domain: "music" });
  const shoeStyles = await kindred.styles(id, { domain: "shoes" });
  const stats = await store.stats();
  const result = {
    db: target,
    generated,
    stats,
    customer: { id, name, attributes: customer.attributes, specs: customer.specs },
    recommendations: { music, shoes },
    neighbors,
    styles: { music: musicStyles, shoes: shoeStyles },
  };
  const names = flags.json
    ? new Map<string, string>()
    : await customerNames(
        store,
        neighbors.neighbors.map((n) => n.customer),
      );
  cli.print(flags, result, () => {
    const favourites = memory.ratings
      .filter((r) => r.value >= 5)
      .slice(0, 3)
      .map((r) => r.title ?? r.item);
    const specs = Object.entries(customer.specs).map(([k, v]) => `${k === "shoeSize" ? "shoe size" : k} ${String(v)}`);
    return [
      `Kindred demo community in ${target}: ${count(stats.items)} items (music and shoes), ${count(stats.customers)} customers, ${count(stats.events)} events.`,
      "",
      `Meet ${name} (${id})${customer.attributes.city ? `, ${String(customer.attributes.city)}` : ""}${specs.length > 0 ? `, ${specs.join(", ")}` : ""}: rated ${memory.ratings.length} items, bought ${memory.purchases.count}.`,
      favourites.length > 0 ? `${first} loved: ${favourites.join("; ")}.` : "",
      "",
      renderRecommendations(music, true, `Music for ${first}`),
      renderRecommendations(shoes, true, `Shoes for ${first}`),
      renderNeighbors(neighbors, names),
      renderStyles(musicStyles, "music"),
      renderStyles(shoeStyles, "shoes"),
      `Try: kindred recommend ${id} --db ${target} --explain   ·   kindred customer ${id} --db ${target}`,
      "",
    ].join("\n");
  });
}

async function serveDemo(cli: Cli, flags: Flags, target: string): Promise<void> {
  const config = loadConfig({
    env: cli.io.env,
    overrides: { database: target, ...(flags.port !== undefined ? { port: flags.port } : {}) },
  });
  const id = flags.customer ?? "c0001";
  if (!flags.json) {
    cli.io.stdout(
      `\nServing the demo community. With the admin key below (or one from \`kindred keys create --db ${target} --scope admin\`):\n` +
        `  curl -H "Authorization: Bearer $KEY" "<url>/customers/${id}/recommendations?n=5&explain=true"\n\n`,
    );
  }
  await serveUntilSignal(cli, config, flags.json === true, { demo: true });
}

export const command: CliCommand = {
  register(program, cli) {
    const c = program
      .command("demo")
      .description(
        `generate (once) and explore an offline demo community: music and shoes, taste groups, ratings and purchases (default db ./${DEMO_DB}; $KINDRED_DB is not used)`,
      )
      .option("--customer <id>", "the customer to show (default: a sample customer)")
      .option("--seed <number>", "seed of the generated community (default 42)", intArg("--seed", 0, 2 ** 31))
      .option("--customers <count>", "customers to generate (default 3000)", intArg("--customers", 50, 100_000))
      .option("-n, --n <count>", "recommendations per domain", intArg("--n", 1, 100), 5)
      .option("--algorithm <name>", "the model that recommends (default: user-knn)")
      .option("--serve", "then serve the demo community over HTTP (what `npm run demo` does); Ctrl-C stops it")
      .option(
        "--port <n>",
        "with --serve: the port (default: $KINDRED_PORT or 8080; 0 picks a free one)",
        intArg("--port", 0, 65535),
      );
    jsonOption(c.option("--db <path>", `the demo db (default: ./${DEMO_DB})`));
    c.action(async (flags: Flags) => {
      const target = flags.db ?? DEMO_DB;
      const kindred = await cli.open(target, true);
      try {
        const bar = cli.progress("generating the demo community");
        let setup: Awaited<ReturnType<typeof ensureDemoCommunity>>;
        try {
          setup = await ensureDemoCommunity(
            kindred.store,
            {
              ...(flags.seed !== undefined && { seed: flags.seed }),
              ...(flags.customers !== undefined && { customers: flags.customers }),
            },
            (done, total) => bar.update(done, total),
          );
        } finally {
          bar.stop();
        }
        cli.log(
          setup.generated ? `generated the demo community into ${target}` : `using the demo community in ${target}`,
        );
        await ensureDemoModels(kindred, (kind) => cli.log(`training ${kind} ...`));
        // Served with --json: stdout carries only the service's one JSON line (the sample is for people).
        if (!(flags.serve && flags.json)) await show(cli, kindred, flags, target, setup.generated);
      } finally {
        await kindred.close();
      }
      if (flags.serve) await serveDemo(cli, flags, target);
    });
  },
};
