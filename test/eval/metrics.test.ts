import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  averagePrecisionAtK,
  catalogueCoverage,
  dcgAtK,
  hitRateAtK,
  mae,
  metricInfo,
  ndcgAtK,
  novelty,
  parseMetrics,
  personalisation,
  precisionAtK,
  recallAtK,
  reciprocalRankAtK,
  rmse,
  unscorable,
} from "../../src/eval/metrics/index.js";

const f32 = (xs: number[]): Float32Array => Float32Array.from(xs);

describe("rating metrics", () => {
  it("RMSE, MAE and unscorable on a hand-computed case", () => {
    // errors 0.5, -1, (NaN skipped), 2 → squares 0.25 + 1 + 4 = 5.25 over 3 → sqrt(1.75) = 1.3229
    const predictions = f32([3.5, 2, Number.NaN, 5]);
    const truth = f32([3, 3, 4, 3]);
    expect(rmse(predictions, truth)).toBeCloseTo(Math.sqrt(1.75), 6);
    expect(mae(predictions, truth)).toBeCloseTo(3.5 / 3, 6); // (0.5 + 1 + 2) / 3
    expect(unscorable(predictions)).toBe(0.25);
  });

  it("is NaN when nothing could be scored, and refuses mismatched lengths", () => {
    expect(rmse(f32([Number.NaN]), f32([3]))).toBeNaN();
    expect(unscorable(f32([]))).toBe(0);
    expect(() => rmse(f32([1, 2]), f32([1]))).toThrow(RangeError);
  });

  it("RMSE ≥ MAE ≥ 0 (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.float({ min: 1, max: 5, noNaN: true }), fc.integer({ min: 1, max: 5 })), { minLength: 1 }),
        (pairs) => {
          const p = f32(pairs.map((x) => x[0]));
          const t = f32(pairs.map((x) => x[1]));
          expect(rmse(p, t)).toBeGreaterThanOrEqual(mae(p, t) - 1e-6);
          expect(mae(p, t)).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });
});

describe("ranking metrics (hand-computed)", () => {
  // List of 5 with relevant items at ranks 1, 3 and 5; the customer has 4 relevant items in all.
  const gains = Uint8Array.from([1, 0, 1, 0, 1]);

  it("precision, recall, hit rate, reciprocal rank", () => {
    expect(precisionAtK(gains, 5)).toBeCloseTo(3 / 5);
    expect(recallAtK(gains, 4, 5)).toBeCloseTo(3 / 4);
    expect(precisionAtK(gains, 2)).toBeCloseTo(1 / 2);
    expect(hitRateAtK(gains, 5)).toBe(1);
    expect(hitRateAtK(Uint8Array.from([0, 0, 1]), 2)).toBe(0);
    expect(reciprocalRankAtK(Uint8Array.from([0, 0, 1]), 5)).toBeCloseTo(1 / 3);
  });

  it("average precision: (1/1 + 2/3 + 3/5) / min(5, 4)", () => {
    expect(averagePrecisionAtK(gains, 4, 5)).toBeCloseTo((1 + 2 / 3 + 3 / 5) / 4, 10);
    // Cut at 3: hits at 1 and 3 → (1 + 2/3) / min(3, 4)
    expect(averagePrecisionAtK(gains, 4, 3)).toBeCloseTo((1 + 2 / 3) / 3, 10);
  });

  it("NDCG, binary: DCG = 1 + 1/log2(4) + 1/log2(6); IDCG = Σ_{i=1..4} 1/log2(i+1)", () => {
    const dcg = 1 + 1 / 2 + 1 / Math.log2(6); // 1.886853
    const idcg = 1 + 1 / Math.log2(3) + 1 / 2 + 1 / Math.log2(5); // 1 + 0.630930 + 0.5 + 0.430677 = 2.561606
    expect(dcgAtK(gains, 5)).toBeCloseTo(dcg, 10);
    expect(ndcgAtK(gains, 4, 5)).toBeCloseTo(dcg / idcg, 10);
    expect(ndcgAtK(gains, 4, 5)).toBeCloseTo(0.73659, 4); // 1.886853 / 2.561606;
  });

  it("NDCG, graded: the worked example of Wikipedia's 'Discounted cumulative gain' article", () => {
    // Six documents with relevance 3, 2, 3, 0, 1, 2 (after Järvelin & Kekäläinen 2002's graded gains):
    // DCG6 = 3 + 2/log2 3 + 3/2 + 0 + 1/log2 6 + 2/log2 7 = 6.861; ideal order 3,3,2,2,1,0: IDCG6 = 7.141;
    // nDCG6 = 0.961. With two more relevant documents (grades 3 and 2) the ideal is 3,3,3,2,2,2:
    // IDCG6 = 8.740 and nDCG6 = 0.785.
    const graded = Float32Array.from([3, 2, 3, 0, 1, 2]);
    expect(dcgAtK(graded, 6)).toBeCloseTo(6.861, 3);
    expect(ndcgAtK(graded, graded, 6)).toBeCloseTo(0.961, 3);
    expect(ndcgAtK(graded, Float32Array.from([3, 2, 3, 0, 1, 2, 3, 2]), 6)).toBeCloseTo(0.785, 3);
  });

  it("empty lists and no relevant items score 0", () => {
    const none = new Uint8Array(0);
    for (const value of [
      precisionAtK(none, 10),
      recallAtK(none, 3, 10),
      ndcgAtK(none, 3, 10),
      averagePrecisionAtK(none, 3, 10),
      reciprocalRankAtK(none, 10),
      hitRateAtK(none, 10),
      recallAtK(gains, 0, 5),
      ndcgAtK(gains, 0, 5),
    ]) {
      expect(value).toBe(0);
    }
  });
});

/** A list of n items (ids) and the relevant set, as fast-check arbitraries. */
const rankingCase = fc
  .record({
    n: fc.integer({ min: 1, max: 40 }),
    k: fc.integer({ min: 1, max: 20 }),
    seed: fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
  })
  .map(({ n, k, seed }) => ({ k, gains: Uint8Array.from(seed.slice(0, n).map((b) => (b ? 1 : 0))) }));

const perCustomer = (gains: Uint8Array, relevant: number, k: number): number[] => [
  precisionAtK(gains, k),
  recallAtK(gains, relevant, k),
  ndcgAtK(gains, relevant, k),
  averagePrecisionAtK(gains, relevant, k),
  reciprocalRankAtK(gains, k),
  hitRateAtK(gains, k),
];

describe("ranking metrics (properties)", () => {
  it("a perfect ranking scores 1 (precision needs R ≥ k, recall R ≤ k)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 30 }), (relevant, k) => {
        const perfect = new Uint8Array(Math.max(relevant, k));
        perfect.fill(1, 0, relevant);
        expect(ndcgAtK(perfect, relevant, k)).toBeCloseTo(1, 10);
        expect(averagePrecisionAtK(perfect, relevant, k)).toBeCloseTo(1, 10);
        expect(reciprocalRankAtK(perfect, k)).toBe(1);
        expect(hitRateAtK(perfect, k)).toBe(1);
        if (relevant >= k) expect(precisionAtK(perfect, k)).toBe(1);
        if (relevant <= k) expect(recallAtK(perfect, relevant, k)).toBe(1);
      }),
    );
  });

  it("values stay in [0, 1]", () => {
    fc.assert(
      fc.property(rankingCase, fc.integer({ min: 0, max: 10 }), ({ gains, k }, extra) => {
        let hits = 0;
        for (const g of gains) hits += g;
        for (const v of perCustomer(gains, hits + extra, k)) {
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(1 + 1e-12);
        }
      }),
    );
  });

  it("permuting irrelevant items below the cut changes nothing", () => {
    fc.assert(
      fc.property(rankingCase, fc.integer(), ({ gains, k }, shuffleSeed) => {
        let hits = 0;
        for (const g of gains) hits += g;
        // Below the cut, shuffle the positions (an arbitrary permutation of what follows rank k).
        const tail = Array.from(gains.subarray(Math.min(k, gains.length)));
        let s = shuffleSeed >>> 0;
        for (let i = tail.length - 1; i > 0; i--) {
          s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
          const j = s % (i + 1);
          [tail[i], tail[j]] = [tail[j]!, tail[i]!];
        }
        const permuted = Uint8Array.from([...gains.subarray(0, Math.min(k, gains.length)), ...tail]);
        expect(perCustomer(permuted, hits, k)).toEqual(perCustomer(gains, hits, k));
      }),
    );
  });

  it("moving a relevant item up never lowers NDCG, AP or reciprocal rank", () => {
    fc.assert(
      fc.property(rankingCase, fc.nat(), ({ gains, k }, at) => {
        const i = at % gains.length;
        if (i === 0 || gains[i] === 0 || gains[i - 1] === 1) return;
        let hits = 0;
        for (const g of gains) hits += g;
        const better = gains.slice();
        better[i - 1] = 1;
        better[i] = 0;
        expect(ndcgAtK(better, hits, k)).toBeGreaterThanOrEqual(ndcgAtK(gains, hits, k) - 1e-12);
        expect(averagePrecisionAtK(better, hits, k)).toBeGreaterThanOrEqual(
          averagePrecisionAtK(gains, hits, k) - 1e-12,
        );
        expect(reciprocalRankAtK(better, k)).toBeGreaterThanOrEqual(reciprocalRankAtK(gains, k));
      }),
    );
  });
});

describe("catalogue metrics", () => {
  // Three customers' top-2 lists over a catalogue of 5 items: [0,1], [0,2], [3,4].
  const items = Int32Array.from([0, 1, 0, 2, 3, 4]);
  const offsets = Int32Array.from([0, 2, 4, 6]);

  it("coverage: 5 distinct of 10 items", () => {
    expect(catalogueCoverage(items, 10)).toBe(0.5);
    expect(catalogueCoverage(items, 5)).toBe(1);
  });

  it("personalisation: overlaps 1/2, 0, 0 over three pairs → 1 − (1/2)/3", () => {
    expect(personalisation(items, offsets, 2, 5)).toBeCloseTo(1 - 0.5 / 3, 10);
    // Identical lists: no personalisation at all.
    expect(personalisation(Int32Array.from([1, 2, 1, 2]), Int32Array.from([0, 2, 4]), 2, 5)).toBe(0);
    expect(personalisation(Int32Array.from([1, 2]), Int32Array.from([0, 2]), 2, 5)).toBeNaN();
  });

  it("personalisation agrees with the pairwise definition (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.uniqueArray(fc.integer({ min: 0, max: 9 }), { minLength: 3, maxLength: 3 }), {
          minLength: 2,
          maxLength: 8,
        }),
        (lists) => {
          let overlap = 0;
          let pairs = 0;
          for (let a = 0; a < lists.length; a++) {
            for (let b = a + 1; b < lists.length; b++) {
              overlap += lists[a]!.filter((x) => lists[b]!.includes(x)).length / 3;
              pairs++;
            }
          }
          const flat = Int32Array.from(lists.flat());
          const offs = Int32Array.from(lists.map((_, j) => j * 3).concat(lists.length * 3));
          const value = personalisation(flat, offs, 3, 10);
          expect(value).toBeCloseTo(1 - overlap / pairs, 10);
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(1);
        },
      ),
    );
  });

  it("novelty: mean of −log2(pop/users); an item everyone had is worth 0 bits", () => {
    // 8 users; item 0 had by 8 (0 bits), item 1 by 2 (2 bits), item 2 by 1 (3 bits).
    const popularity = Int32Array.from([8, 2, 1]);
    expect(novelty(Int32Array.from([0, 1, 2]), popularity, 8)).toBeCloseTo(5 / 3, 10);
    expect(novelty(new Int32Array(0), popularity, 8)).toBeNaN();
  });
});

describe("metric names", () => {
  it("knows every metric and refuses unknown ones with a ValidationError naming the field", () => {
    expect(parseMetrics("rmse, ndcg,hitRate")).toEqual(["rmse", "ndcg", "hitRate"]);
    expect(metricInfo("ndcg").higherIsBetter).toBe(true);
    expect(() => parseMetrics("rmse,auc")).toThrow(/metrics: unknown metric "auc"/);
    expect(() => parseMetrics(" , ")).toThrow(/metrics: lists no metric/);
  });
});
