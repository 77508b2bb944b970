/**
 * The service as a process: graceful shutdown on SIGTERM (in-flight requests
 * finish, new connections are refused, the store is closed, exit 0), and
 * crash safety (kill -9 during a stream of events loses none acknowledged).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openStore } from "../../../src/storage/open.js";
import { CLI, call, FIXTURE, spawnService } from "./spawn.js";

const dir = mkdtempSync(join(tmpdir(), "kindred-process-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("SIGTERM", () => {
  it("finishes in-flight requests, refuses new ones, closes the store and exits 0", async () => {
    const db = join(dir, "graceful.db");
    const service = await spawnService([FIXTURE], { KINDRED_DATABASE_URL: db });
    const key = service.adminKey as string;
    expect(key).toMatch(/^kdr_/);
    const posted = await call(service.url, key, "POST", "/events", { customer: "a", item: "i", type: "view" });
    expect(posted.status).toBe(200);

    const inFlight = call(service.url, key, "GET", "/__test/slow?ms=1500");
    await new Promise((resolve) => setTimeout(resolve, 300));
    service.child.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(fetch(`${service.url}/health`)).rejects.toThrow();
    const slow = await inFlight;
    expect(slow).toEqual({ status: 200, body: { slow: "done" } });
    expect(await service.exited).toBe(0);
    expect(service.stdout()).toContain("closed");
    expect(service.stderr()).toContain("SIGTERM");

    // The store was closed cleanly and holds what was acknowledged.
    const store = await openStore(db);
    expect((await store.stats()).events).toBe(1);
    await store.close();
  }, 60_000);
});

describe("kill -9 during a stream of events", () => {
  it("loses none of the acknowledged events", async () => {
    const db = join(dir, "crash.db");
    const service = await spawnService([CLI, "serve", "--json", "--db", db], {});
    const key = service.adminKey as string;
    const acknowledged = new Set<string>();
    let sent = 0;
    let stop = false;
    // Eight clients posting small batches as fast as they are acknowledged.
    const client = async (c: number) => {
      for (let k = 0; !stop; k++) {
        const ids = [0, 1, 2].map((j) => `c${c}-${k}-${j}`);
        sent += ids.length;
        try {
          const res = await call(
            service.url,
            key,
            "POST",
            "/events",
            ids.map((eventId, j) => ({ customer: `u${c}`, item: `i${(k + j) % 50}`, type: "view", eventId })),
          );
          if (res.status === 200) for (const id of ids) acknowledged.add(id);
        } catch {
          return; // the connection died with the process: this batch was never acknowledged
        }
      }
    };
    const clients = Array.from({ length: 8 }, (_, c) => client(c));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    service.child.kill("SIGKILL");
    stop = true;
    await Promise.all(clients);
    expect(await service.exited).toBe("SIGKILL");
    expect(acknowledged.size).toBeGreaterThan(100);

    const store = await openStore(db);
    const stored = new Set((await store.scanEvents(0)).map((e) => e.eventId));
    await store.close();
    const lost = [...acknowledged].filter((id) => !stored.has(id));
    expect(lost).toEqual([]);
    // Nothing was written that was not sent (in-flight batches may land without their acknowledgement).
    expect(stored.size).toBeLessThanOrEqual(sent);

    // And the service comes back on the same store.
    const again = await spawnService([CLI, "serve", "--json", "--db", db], {});
    expect(again.adminKey).toBeNull(); // not a first start any more
    const health = await call(again.url, null, "GET", "/health");
    expect(health.body.store.ok).toBe(true);
    again.child.kill("SIGTERM");
    expect(await again.exited).toBe(0);
  }, 90_000);
});
