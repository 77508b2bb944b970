/** `kindred keys create|list|revoke` against a real SQLite store, in-process through main(argv, io). */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bufferIo } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";
import { hashSecret } from "../../src/service/auth/keys.js";
import { openStore } from "../../src/storage/open.js";

const dir = mkdtempSync(join(tmpdir(), "kindred-keys-"));
const db = join(dir, "kindred.db");
beforeAll(async () => {
  await (await openStore(db)).close(); // a store must exist: keys never create one
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]) {
  const io = bufferIo({});
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
}

describe("kindred keys", () => {
  it("creates a key, prints it once as {key} with --json, and stores only its hash", async () => {
    const r = await run("keys", "create", "--scope", "events:write", "--channel", "store:soho", "--db", db, "--json");
    expect(r.code).toBe(0);
    const created = JSON.parse(r.out);
    expect(created.key).toMatch(/^kdr_/);
    expect(created).toMatchObject({ scopes: ["events:write"], channel: "store:soho", customer: null });
    const store = await openStore(db);
    const [stored] = await store.listApiKeys();
    expect(stored?.hash).toBe(hashSecret(created.key));
    expect(JSON.stringify(await store.listApiKeys())).not.toContain(created.key);
    await store.close();

    const listed = await run("keys", "list", "--db", db, "--json");
    expect(JSON.parse(listed.out).keys).toHaveLength(1);
    expect(listed.out).not.toContain(created.key);
    expect((await run("keys", "revoke", created.id, "--db", db)).code).toBe(0);
    const after = JSON.parse((await run("keys", "list", "--db", db, "--json")).out).keys;
    expect(after[0].revokedAt).toEqual(expect.any(Number));
  });

  it("takes several scopes, comma-separated or repeated", async () => {
    const r = await run(
      "keys",
      "create",
      "--scope",
      "read,events:write",
      "--scope",
      "catalog:write",
      "--db",
      db,
      "--json",
    );
    expect(JSON.parse(r.out).scopes).toEqual(["read", "events:write", "catalog:write"]);
  });

  it("refuses unknown scopes, no scope, unknown ids and missing stores", async () => {
    const bad = await run("keys", "create", "--scope", "root", "--db", db);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('scopes.0: unknown scope "root"');
    expect((await run("keys", "create", "--db", db)).code).toBe(2);
    const unknown = await run("keys", "revoke", "key_nope", "--db", db);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('key "key_nope" is not known');
    const missing = await run("keys", "list", "--db", join(dir, "absent.db"));
    expect(missing.code).toBe(1);
  });
});
