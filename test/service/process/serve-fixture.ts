/**
 * The service as `kindred serve` runs it (config from KINDRED_* env, graceful
 * shutdown on SIGTERM), plus one test-only route, GET /__test/slow?ms=, that
 * answers after a delay: an in-flight request to watch during a shutdown.
 * Prints one JSON line ({url, adminKey}) once listening, and "closed" once
 * the store is closed.
 */
import { loadConfig } from "../../../src/service/config.js";
import { closeOnSignals, startService } from "../../../src/service/serve.js";

const service = await startService(loadConfig({ env: process.env }), {
  configure: (app) => {
    app.get("/__test/slow", async (c) => {
      await new Promise((resolve) => setTimeout(resolve, Number(c.req.query("ms") ?? 1000)));
      return c.json({ slow: "done" });
    });
  },
});
process.stdout.write(`${JSON.stringify({ url: service.url, adminKey: service.adminKey ?? null })}\n`);
await closeOnSignals(service);
process.stdout.write("closed\n");
