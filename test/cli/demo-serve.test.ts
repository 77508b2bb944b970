/**
 * `npm run demo` = `kindred demo --serve`: generates the demo community, then
 * serves it; the printed URL answers recommendations for a demo customer with
 * the printed admin key, and SIGTERM stops it cleanly.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CLI, call, spawnService } from "../service/process/spawn.js";

const dir = mkdtempSync(join(tmpdir(), "kindred-demo-serve-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("kindred demo --serve", () => {
  it("serves the generated community at the printed URL and stops on SIGTERM", async () => {
    const db = join(dir, "demo.db");
    const service = await spawnService(
      [CLI, "demo", "--serve", "--json", "--port", "0", "--customers", "300", "--db", db],
      {},
      240_000,
    );
    try {
      expect(service.adminKey).toMatch(/^kdr_/);
      // Ready once the default chain's models are fitted and loaded (in the background after start).
      let health = await call(service.url, null, "GET", "/health");
      for (let waited = 0; health.status !== 200 && waited < 180_000; waited += 500) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        health = await call(service.url, null, "GET", "/health");
      }
      expect(health.body).toMatchObject({ status: "ok", ready: true });
      const answer = await call(
        service.url,
        service.adminKey,
        "GET",
        "/customers/c0001/recommendations?n=3&explain=true",
      );
      expect(answer.status).toBe(200);
      expect(answer.body.customer).toBe("c0001");
      expect(answer.body.items).toHaveLength(3);
      expect(answer.body.items[0].explanation.text.length).toBeGreaterThan(10);
      // stdout holds exactly the one JSON line: no sample printout mixed in.
      expect(service.stdout().trim().split("\n")).toHaveLength(1);
    } finally {
      service.child.kill("SIGTERM");
    }
    expect(await service.exited).toBe(0);
  }, 300_000);
});
