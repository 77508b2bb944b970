import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/eval/run.js";
import { loadDataPath } from "../../src/eval/source.js";
import { splitLog } from "../../src/eval/splits/index.js";
import { hasMl100k, ML100K } from "../helpers/data.js";

describe.skipIf(!hasMl100k)("the harness on ml-100k's official folds (real data)", () => {
  it("reads the folder, splits u1–u5 and reproduces the published baseline RMSE within 0.01", async () => {
    const data = await loadDataPath(ML100K);
    expect(data.log.length).toBe(100_000);
    const folds = splitLog(data.log, "official", { source: data.source, scale: data.scale });
    expect(folds.map((f) => f.test.users.length)).toEqual([20_000, 20_000, 20_000, 20_000, 20_000]);
    const result = await evaluate(folds, { algorithms: ["baseline"], task: "rating", workers: 0 });
    // Surprise 1.1.4's BaselineOnly: 0.944 on 5-fold ml-100k (../shared/data/README.md).
    expect(Math.abs(result.results[0]!.metrics.rmse! - 0.944)).toBeLessThan(0.01);
    expect(result.results[0]!.metrics.unscorable).toBeLessThan(0.005); // test items never rated in u*.base
  });
});
