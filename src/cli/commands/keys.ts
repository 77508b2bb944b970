/**
 * kindred keys create|list|revoke: API keys of the HTTP service. A key's
 * secret is printed once, at creation; the store keeps only its sha256 hash.
 */
import { Option } from "commander";
import { NotFoundError } from "../../core/errors.js";
import { createKey, publicKey, SCOPES } from "../../service/auth/keys.js";
import { type Cli, type CliCommand, type CommonOptions, DEFAULT_DB, jsonOption } from "../cli.js";

interface CreateFlags extends CommonOptions {
  scope: string[];
  channel?: string;
  name?: string;
  customer?: string;
}

/** --db, else $KINDRED_DATABASE_URL (as `kindred serve`), else $KINDRED_DB, else ./kindred.db. */
function target(cli: Cli, flags: CommonOptions): string {
  return flags.db ?? cli.io.env.KINDRED_DATABASE_URL ?? cli.io.env.KINDRED_DB ?? DEFAULT_DB;
}

const dbFlag = "--db <path>";
const dbHelp =
  "the store: a file, sqlite:PATH or postgres://URL (default: $KINDRED_DATABASE_URL, $KINDRED_DB or ./kindred.db)";
const collect = (value: string, previous: string[]) => [
  ...previous,
  ...value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0),
];

export const command: CliCommand = {
  register(program, cli) {
    const keys = program.command("keys").description("API keys of the HTTP service: create, list, revoke");

    const create = keys
      .command("create")
      .description("create a key; its secret is printed once")
      .addOption(
        new Option("--scope <scope>", `a scope (repeat or comma-separate): ${SCOPES.join(", ")}`)
          .argParser(collect)
          .default([]),
      )
      .option("--channel <name>", "channel recorded on every event the key writes (e.g. store:soho)", "api")
      .option("--name <text>", "what the key is for")
      .option("--customer <id>", "bind the key to one customer: it may act only for them")
      .option(dbFlag, dbHelp);
    jsonOption(create);
    create.action((flags: CreateFlags) =>
      cli.with({ ...flags, db: target(cli, flags) }, false, async (kindred) => {
        const { key, info } = await createKey(kindred.store, {
          scopes: flags.scope,
          ...(flags.channel ? { channel: flags.channel } : {}),
          ...(flags.name ? { name: flags.name } : {}),
          customer: flags.customer ?? null,
        });
        cli.print(
          flags,
          { key, ...publicKey(info) },
          () =>
            `Created key ${info.id} (${info.scopes.join(", ")}; channel ${info.channel}${info.customer ? `; customer ${info.customer}` : ""}).\n` +
            `It is shown only now; keep it safe:\n\n  ${key}\n`,
        );
      }),
    );

    const list = keys.command("list").description("list keys (never their secrets)").option(dbFlag, dbHelp);
    jsonOption(list);
    list.action((flags: CommonOptions) =>
      cli.with({ ...flags, db: target(cli, flags) }, false, async (kindred) => {
        const all = (await kindred.store.listApiKeys()).map(publicKey);
        cli.print(flags, { keys: all }, () =>
          all.length === 0
            ? "No keys yet (kindred serve creates an admin key on first start).\n"
            : `${all
                .map(
                  (k) =>
                    `${k.id}  ${k.revokedAt === null ? "live   " : "revoked"}  ${k.scopes.join(",").padEnd(28)} ${k.channel.padEnd(14)} ${k.name}`,
                )
                .join("\n")}\n`,
        );
      }),
    );

    const revoke = keys
      .command("revoke")
      .description("revoke a key (running services stop accepting it within their key cache time, 10 s)")
      .argument("<id>", "the key's id (see keys list)")
      .option(dbFlag, dbHelp);
    jsonOption(revoke);
    revoke.action((id: string, flags: CommonOptions) =>
      cli.with({ ...flags, db: target(cli, flags) }, false, async (kindred) => {
        if (!(await kindred.store.revokeApiKey(id))) throw new NotFoundError("key", id);
        cli.print(flags, { id, revoked: true }, () => `Revoked key ${id}.\n`);
      }),
    );
  },
};
