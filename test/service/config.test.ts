/** Config layers: defaults → file → env → overrides, validated with errors naming the field. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/service/config.js";

const dir = mkdtempSync(join(tmpdir(), "kindred-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(content: string): string {
  const path = join(dir, `c${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, content);
  return path;
}

describe("loadConfig", () => {
  it("has documented defaults", () => {
    const c = loadConfig({ env: {} });
    expect(c).toMatchObject({ database: "kindred.db", host: "127.0.0.1", port: 8080, maxBodyBytes: 1_048_576 });
    expect(c.retrain).toMatchObject({ enabled: true, everyEvents: 5000, everyMinutes: 60 });
    expect(c.auth).toMatchObject({ tokenTtlSeconds: 86_400, metricsPublic: false });
  });

  it("layers file, then env, then overrides; nested objects merge", () => {
    const path = file(JSON.stringify({ port: 9000, retrain: { everyEvents: 100, everyMinutes: 5 }, host: "0.0.0.0" }));
    const c = loadConfig({
      file: path,
      env: { KINDRED_PORT: "9100", KINDRED_RETRAIN_EVERY_MINUTES: "15", KINDRED_DATABASE_URL: "postgres://db/k" },
      overrides: { port: 9200 },
    });
    expect(c.port).toBe(9200);
    expect(c.host).toBe("0.0.0.0");
    expect(c.database).toBe("postgres://db/k");
    expect(c.retrain).toMatchObject({ everyEvents: 100, everyMinutes: 15, enabled: true });
  });

  it("reads lists and booleans from env", () => {
    const c = loadConfig({
      env: { KINDRED_CHAIN: "als, item-knn", KINDRED_RETRAIN: "off", KINDRED_METRICS_PUBLIC: "1" },
    });
    expect(c.chain).toEqual(["als", "item-knn"]);
    expect(c.retrain.enabled).toBe(false);
    expect(c.auth.metricsPublic).toBe(true);
  });

  it("names the field at fault", () => {
    expect(() => loadConfig({ env: { KINDRED_PORT: "eighty" } })).toThrow(/KINDRED_PORT: "eighty" is not a number/);
    expect(() => loadConfig({ env: { KINDRED_PORT: "70000" } })).toThrow(/^config\.port:/);
    expect(() => loadConfig({ env: {}, overrides: { retrain: { everyEvents: 0 } } })).toThrow(
      /^config\.retrain\.everyEvents:/,
    );
    expect(() => loadConfig({ env: { KINDRED_TOKEN_SECRET: "short" } })).toThrow(/^config\.auth\.tokenSecret:/);
    expect(() => loadConfig({ env: { KINDRED_RETRAIN: "maybe" } })).toThrow(/KINDRED_RETRAIN/);
    expect(() => loadConfig({ file: join(dir, "missing.json"), env: {} })).toThrow(/^config: cannot read/);
    expect(() => loadConfig({ file: file("{ nope"), env: {} })).toThrow(/is not valid JSON/);
    expect(() => loadConfig({ file: file("[1]"), env: {} })).toThrow(/must hold a JSON object/);
  });
});
