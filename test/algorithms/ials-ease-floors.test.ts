/**
 * Ranking quality floors on the official ml-100k folds u1–u5 (mean NDCG@10 over
 * customers, every held-out rating relevant, the full catalogue minus each
 * customer's training items ranked; src/eval/rank-fold.ts). Published anchors
 * (Gorse 2020): popularity 0.218, item-kNN 0.347, BPR 0.376, WRMF 0.416; the
 * target is 0.43 for ials or ease. Measured values are in bench/results/mf-als.md.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { registry } from "../../src/algorithms/index.js";
import { InteractionLog } from "../../src/core/interaction-log.js";
import { Rng } from "../../src/core/rng.js";
import { trainingHistory } from "../../src/eval/fold-eval.js";
import { rankFold } from "../../src/eval/rank-fold.js";
import { splitLog } from "../../src/eval/splits/index.js";
import { hasMl100k, ML100K } from "../helpers/data.js";

async function meanNdcg(kind: string, params: object): Promise<number[]> {
  const log = new InteractionLog(undefined, undefined, 100_000);
  for (const line of readFileSync(`${ML100K}u.data`, "utf8").split("\n")) {
    if (!line) continue;
    const [u, i, r, t] = line.split("\t");
    log.pushRating(u!, i!, Number(r), Number(t) * 1000);
  }
  const ndcg: number[] = [];
  for (const fold of splitLog(log, "official", { source: ML100K })) {
    const model = registry.create(kind, params);
    await model.fit(fold.train, { rng: new Rng(Number(fold.name)) });
    ndcg.push(rankFold(model, fold, trainingHistory(fold), undefined, { k: 10 }).metrics.ndcg!);
  }
  console.log(`${kind} NDCG@10 on ml-100k u1–u5: ${ndcg.map((v) => v.toFixed(4)).join(" ")}`);
  return ndcg;
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe.skipIf(!hasMl100k)("ranking floors on ml-100k u1–u5 (NDCG@10, full catalogue)", () => {
  it("ials reaches NDCG@10 ≥ 0.43 (above WRMF's published 0.416)", async () => {
    expect(mean(await meanNdcg("ials", {}))).toBeGreaterThanOrEqual(0.43);
  });

  it("ease beats item-kNN's published 0.347 by a wide margin", async () => {
    expect(mean(await meanNdcg("ease", {}))).toBeGreaterThanOrEqual(0.4);
  });
});
