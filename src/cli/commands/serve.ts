/**
 * kindred serve: the HTTP service. Prints the URL, the docs URL and, on the
 * first start of a store, an admin key (shown once). Config layers: defaults
 * → --config FILE → KINDRED_* env → flags. Stops gracefully on SIGTERM/SIGINT.
 */

import { loadConfig, type ServiceConfig } from "../../service/config.js";
import { closeOnSignals, startService } from "../../service/serve.js";
import { redact } from "../../storage/open.js";
import { type Cli, type CliCommand, intArg } from "../cli.js";

interface ServeFlags {
  db?: string;
  port?: number;
  host?: string;
  config?: string;
  json?: boolean;
}

export const command: CliCommand = {
  register(program, cli) {
    program
      .command("serve")
      .description("run the HTTP service (OpenAPI at /openapi.json, interactive docs at /docs)")
      .option(
        "--db <path>",
        "the store: a file, sqlite:PATH or postgres://URL (default: $KINDRED_DATABASE_URL, $KINDRED_DB or ./kindred.db)",
      )
      .option("--port <n>", "the port (default: $KINDRED_PORT or 8080; 0 picks a free one)", intArg("port", 0, 65535))
      .option("--host <name>", "the interface to bind (default: $KINDRED_HOST or 127.0.0.1; 0.0.0.0 for all)")
      .option("--config <file>", "a JSON config file (retrain policy, limits, auth; see the docs)")
      .option("--json", "print the URLs (and a first admin key) as one JSON line on stdout")
      .action(async (flags: ServeFlags) => {
        const env = { ...cli.io.env };
        // The other commands' $KINDRED_DB names the store too, below $KINDRED_DATABASE_URL.
        if (env.KINDRED_DATABASE_URL === undefined && env.KINDRED_DB !== undefined) {
          env.KINDRED_DATABASE_URL = env.KINDRED_DB;
        }
        const config = loadConfig({
          ...(flags.config !== undefined ? { file: flags.config } : {}),
          env,
          overrides: {
            ...(flags.db !== undefined ? { database: flags.db } : {}),
            ...(flags.port !== undefined ? { port: flags.port } : {}),
            ...(flags.host !== undefined ? { host: flags.host } : {}),
          },
        });
        await serveUntilSignal(cli, config, flags.json === true);
      });
  },
};

/**
 * Starts the service on `config`, prints where it listens (and a first admin
 * key, shown once), and resolves when SIGTERM/SIGINT has closed it gracefully.
 * Shared by `kindred serve` and `kindred demo --serve`.
 */
export async function serveUntilSignal(
  cli: Cli,
  config: ServiceConfig,
  json: boolean,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const log = (message: string, error?: unknown) => logLine(cli.log.bind(cli), message, error);
  const service = await startService(config, { log });
  if (json) {
    cli.io.stdout(
      `${JSON.stringify({ url: service.url, docs: service.docsUrl, db: redact(config.database), adminKey: service.adminKey ?? null, ...extra })}\n`,
    );
  } else {
    cli.io.stdout(`Kindred is serving ${redact(config.database)} at ${service.url}\n`);
    cli.io.stdout(`API docs: ${service.docsUrl}   OpenAPI: ${service.url}/openapi.json\n`);
    if (service.adminKey) {
      cli.io.stdout(
        `\nFirst start: an admin key was created. It is shown only now; keep it safe:\n\n  ${service.adminKey}\n\n` +
          `Send it as "Authorization: Bearer <key>". Make narrower keys with \`kindred keys create\`.\n`,
      );
    } else {
      cli.io.stdout(
        `Keys: this store already has an admin key (shown on its first start); \`kindred keys create --db ${redact(config.database)} --scope admin\` makes another.\n`,
      );
    }
    cli.io.stdout("Ctrl-C (or SIGTERM) stops it gracefully.\n");
  }
  await closeOnSignals(service, log);
  cli.log("kindred serve: stopped");
}

function logLine(log: (text: string) => void, message: string, error?: unknown): void {
  const detail = error instanceof Error ? `: ${error.message}` : error === undefined ? "" : `: ${String(error)}`;
  log(`[kindred] ${new Date().toISOString()} ${message}${detail}`);
}
