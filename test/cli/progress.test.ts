/** Progress bars go to stderr, and only when stderr is a terminal; stdout stays pure. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { bufferIo } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";
import { tempDir } from "./run.js";

let tmp: ReturnType<typeof tempDir>;
let csv: string;
beforeEach(() => {
  tmp = tempDir();
  csv = join(tmp.dir, "events.csv");
  writeFileSync(
    csv,
    `customer,item,value\n${Array.from({ length: 500 }, (_, k) => `c${k},i${k % 30},${1 + (k % 5)}`).join("\n")}\n`,
  );
});
afterEach(() => tmp.remove());

it("draws a bar on a terminal's stderr, with stdout still one JSON document", async () => {
  let drawn = "";
  const terminal = {
    isTTY: true,
    columns: 100,
    write(s: string) {
      drawn += s;
      return true;
    },
  };
  const io = Object.assign(bufferIo(), {
    stderrIsTTY: true,
    progressStream: terminal as unknown as NodeJS.WriteStream,
  });
  const code = await main(["import", "csv", csv, "--db", join(tmp.dir, "k.db"), "--json"], io);
  expect(code).toBe(0);
  expect(drawn).toMatch(/importing .*events\.csv \[/);
  expect(JSON.parse(io.out).stored).toBe(500);
});

it("draws nothing when stderr is not a terminal", async () => {
  const io = bufferIo();
  expect(await main(["import", "csv", csv, "--db", join(tmp.dir, "k.db")], io)).toBe(0);
  expect(io.err).toBe("");
  expect(io.out).toMatch(/^Imported csv/);
});
