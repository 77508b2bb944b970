/**
 * The conformance suite every algorithm passes (after LensKit's
 * lenskit.testing): call `describeRecommenderContract(kind, options)` from the
 * algorithm's own test file.
 *
 * On a small seeded synthetic community it checks that
 * - the config is documented (every field has a default and a description),
 *   unknown keys and invalid values are ValidationErrors naming `params.<kind>.<field>`,
 *   and the search space only names config fields;
 * - unknown items (−1, ≥ itemCount) and unknown customers without history score NaN,
 *   known pairs score finite (rating models: within one step of the scale);
 * - `out` buffers are honoured, a model used before fit() throws a KindredError,
 *   an aborted fit rejects with CANCELLED;
 * - snapshot → encode → decode → registry.restore scores bit-identically, and a
 *   snapshot of another version is refused;
 * - the same seed gives the same scores;
 * - fold-in: a different history changes the scores, a new customer with a few
 *   ratings gets finite, personalised scores; history entries on unknown items
 *   or with non-finite values are ignored;
 * - explain() (when implemented) returns a well-formed Explanation;
 * - optional: a quality floor, the mean RMSE over the official ml-100k folds
 *   u1–u5 (skipped loudly when ../shared/data is absent).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { registry } from "../../src/algorithms/index.js";
import type { Explanation, Query, Recommender } from "../../src/algorithms/recommender.js";
import type { Dataset } from "../../src/core/dataset.js";
import { KindredError, ValidationError } from "../../src/core/errors.js";
import { Rng } from "../../src/core/rng.js";
import { decodeSnapshot, encodeSnapshot } from "../../src/core/snapshot.js";
import { hasMl100k, ml100kFold, rmseOf, syntheticCommunity } from "../helpers/data.js";
import { predictPairs } from "./predict-pairs.js";

export interface ContractOptions {
  /** Config for every model the suite builds (defaults otherwise). */
  readonly params?: object;
  /** Quality floors on the ml-100k folds u1–u5 (mean over the five). */
  readonly floor?: { readonly rmse?: number };
  /** A ranking model: scores are preferences, not ratings (no scale check, no RMSE). */
  readonly ranking?: boolean;
  /** False for models that score every customer alike (popularity): unknown customers then score too. */
  readonly personalised?: boolean;
  /** Per-field values the suite should use as invalid (default: an object, wrong for scalars and enums). */
  readonly invalidParams?: Readonly<Record<string, unknown>>;
}

const range = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i);
const bits = (a: Float32Array): number[] => Array.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));

function userHistory(data: Dataset, user: number): { items: Int32Array; values: Float32Array } {
  const start = data.ratings.indptr[user]!;
  const end = data.ratings.indptr[user + 1]!;
  return { items: data.ratings.indices.slice(start, end), values: data.ratings.values.slice(start, end) };
}

/** The same items rated the other way round (5 ↔ 1 on a 1–5 scale). */
function flipped(data: Dataset, h: { items: Int32Array; values: Float32Array }) {
  return { items: h.items, values: h.values.map((v) => data.scale.min + data.scale.max - v) };
}

function differs(a: Float32Array, b: Float32Array): boolean {
  for (let k = 0; k < a.length; k++) {
    const x = a[k]!;
    const y = b[k]!;
    if (!(Number.isNaN(x) && Number.isNaN(y)) && Math.abs(x - y) > 1e-6) return true;
  }
  return false;
}

/** Throws (through expect) unless `e` has the shape its kind promises, with ids in range. */
export function expectWellFormed(e: Explanation, users: number, items: number): void {
  switch (e.kind) {
    case "neighbors":
      expect(Number.isInteger(e.count) && e.count >= 0).toBe(true);
      expect(e.closest.length).toBe(e.similarities.length);
      expect(e.closest.length).toBeLessThanOrEqual(Math.max(e.count, e.closest.length));
      for (const u of e.closest) expect(u >= 0 && u < users).toBe(true);
      for (const s of e.similarities) expect(Number.isFinite(s)).toBe(true);
      if (e.count > 0) expect(Number.isFinite(e.average)).toBe(true);
      return;
    case "items":
      expect(e.items.length).toBe(e.values.length);
      expect(e.items.length).toBe(e.weights.length);
      for (const i of e.items) expect(i >= 0 && i < items).toBe(true);
      for (const w of e.weights) expect(Number.isFinite(w)).toBe(true);
      for (const v of e.values) expect(Number.isFinite(v)).toBe(true);
      return;
    case "popular":
      expect(Number.isInteger(e.count) && e.count >= 0).toBe(true);
      if (e.count > 0) expect(Number.isFinite(e.average)).toBe(true);
      return;
    case "baseline":
      expect(Number.isFinite(e.globalMean)).toBe(true);
      expect(Number.isFinite(e.userBias)).toBe(true);
      expect(Number.isFinite(e.itemBias)).toBe(true);
      return;
    default:
      throw new Error(`unknown explanation kind ${(e as { kind: string }).kind}`);
  }
}

export function describeRecommenderContract(kind: string, options: ContractOptions = {}): void {
  const params = options.params ?? {};
  const ranking = options.ranking ?? false;
  const personalised = options.personalised ?? true;

  describe(`${kind}: recommender contract`, () => {
    const { dataset } = syntheticCommunity();
    const all = range(dataset.itemCount);
    let model: Recommender;
    const fresh = (): Recommender => registry.create(kind, params);

    beforeAll(async () => {
      model = fresh();
      await model.fit(dataset, { rng: new Rng(1) });
    });

    it("documents its config: a default and a description for every field; the search space names fields", () => {
      const definition = registry.get(kind);
      const defaults = registry.resolveConfig(kind, {});
      const shape = (definition.configSchema as unknown as { shape?: Record<string, { description?: string }> }).shape;
      expect(shape, "configSchema should be a z.strictObject").toBeDefined();
      for (const [field, schema] of Object.entries(shape ?? {})) {
        expect(defaults[field], `params.${kind}.${field} needs a .default()`).not.toBeUndefined();
        expect(schema.description ?? "", `params.${kind}.${field} needs a .describe()`).not.toBe("");
      }
      for (const field of Object.keys(definition.searchSpace)) expect(Object.keys(shape ?? {})).toContain(field);
      registry.resolveConfig(kind, params);
    });

    it("rejects invalid params with a ValidationError naming params.<kind>.<field>", () => {
      const shape = (registry.get(kind).configSchema as unknown as { shape?: Record<string, unknown> }).shape ?? {};
      for (const field of Object.keys(shape)) {
        const bad = options.invalidParams?.[field] ?? { not: "a valid value" };
        let error: unknown;
        try {
          registry.create(kind, { ...params, [field]: bad });
        } catch (e) {
          error = e;
        }
        expect(error, `params.${kind}.${field} = ${JSON.stringify(bad)} should be refused`).toBeInstanceOf(
          ValidationError,
        );
        expect((error as ValidationError).field?.startsWith(`params.${kind}.${field}`)).toBe(true);
      }
      expect(() => registry.create(kind, { ...params, noSuchField: 1 })).toThrow(ValidationError);
    });

    it("throws a KindredError when used before fit, and rejects an aborted fit with CANCELLED", async () => {
      expect(() => fresh().score({ user: 0 }, all)).toThrow(KindredError);
      const controller = new AbortController();
      controller.abort();
      await expect(fresh().fit(dataset, { signal: controller.signal })).rejects.toMatchObject({ code: "CANCELLED" });
    });

    it("scores NaN for unknown items", () => {
      const scores = model.score({ user: 0 }, Int32Array.from([-1, dataset.itemCount, dataset.itemCount + 7, 0]));
      expect(Number.isNaN(scores[0]!) && Number.isNaN(scores[1]!) && Number.isNaN(scores[2]!)).toBe(true);
      expect(Number.isFinite(scores[3]!)).toBe(true);
    });

    it(personalised ? "scores NaN for unknown customers without history" : "scores unknown customers too", () => {
      for (const query of [{}, { user: -1 }, { user: dataset.userCount }] as Query[]) {
        const scores = model.score(query, all);
        if (personalised) expect(scores.every(Number.isNaN)).toBe(true);
        else expect(bits(scores)).toEqual(bits(model.score({ user: 0 }, all)));
      }
    });

    it("scores known pairs finitely (rating models: on or near the scale), into `out` when given", () => {
      const { min, max, step } = dataset.scale;
      for (let user = 0; user < dataset.userCount; user += 17) {
        const out = new Float32Array(all.length);
        const scores = model.score({ user }, all, out);
        expect(scores).toBe(out);
        const finite = scores.filter(Number.isFinite).length;
        expect(finite / all.length).toBeGreaterThan(0.9);
        if (!ranking) {
          for (const s of scores) if (Number.isFinite(s)) expect(s >= min - step && s <= max + step).toBe(true);
        }
      }
      expect(model.score({ user: 0 }, new Int32Array(0)).length).toBe(0);
    });

    it("restores bit-identically from snapshot bytes, and refuses another version", () => {
      const snapshot = model.snapshot();
      const restored = registry.restore(decodeSnapshot(encodeSnapshot(snapshot)));
      expect(restored.kind).toBe(kind);
      const history = userHistory(dataset, 3);
      const queries: Query[] = [{ user: 0 }, { user: 5 }, { user: 42 }, { history }, { user: 3, history }];
      for (const query of queries) {
        expect(bits(restored.score(query, all))).toEqual(bits(model.score(query, all)));
        if (model.explain) expect(restored.explain?.(query, 1)).toEqual(model.explain(query, 1));
      }
      expect(() => registry.restore({ ...snapshot, version: snapshot.version + 1000 })).toThrow(KindredError);
    });

    it("gives identical scores when fitted twice with the same seed", async () => {
      const a = fresh();
      const b = fresh();
      await a.fit(dataset, { rng: new Rng(3) });
      await b.fit(dataset, { rng: new Rng(3) });
      for (const user of [0, 1, 2, 50]) expect(bits(a.score({ user }, all))).toEqual(bits(b.score({ user }, all)));
    });

    it(
      personalised ? "folds in a history: other ratings give other scores" : "ignores histories (not personalised)",
      () => {
        const own = userHistory(dataset, 0);
        const before = model.score({ user: 0 }, all);
        const after = model.score({ user: 0, history: flipped(dataset, own) }, all);
        expect(differs(before, after)).toBe(personalised);
        // A new customer with a few ratings.
        const few = { items: own.items.slice(0, 5), values: own.values.slice(0, 5) };
        const liked = model.score({ history: few }, all);
        const disliked = model.score({ history: flipped(dataset, few) }, all);
        expect(liked.filter(Number.isFinite).length / all.length).toBeGreaterThan(0.5);
        expect(differs(liked, disliked)).toBe(personalised);
      },
    );

    it("ignores history entries it cannot use (unknown items, non-finite values) without throwing", () => {
      const own = userHistory(dataset, 2);
      const few = { items: own.items.slice(0, 6), values: own.values.slice(0, 6) };
      const noisy = {
        items: Int32Array.from([...few.items, -1, dataset.itemCount + 3, few.items[0]! === 0 ? 1 : 0]),
        values: Float32Array.from([...few.values, 5, 5, Number.NaN]),
      };
      const clean = model.score({ history: few }, all);
      expect(bits(model.score({ history: noisy }, all))).toEqual(bits(clean));
      expect(() => model.explain?.({ history: noisy }, 0)).not.toThrow();
    });

    it("explains scores with well-formed evidence (when explain is implemented)", () => {
      if (!model.explain) return;
      for (const user of [0, 1, 7]) {
        const scores = model.score({ user }, all);
        for (let item = 0; item < all.length; item += 11) {
          if (!Number.isFinite(scores[item]!)) continue;
          expectWellFormed(model.explain({ user }, item), dataset.userCount, dataset.itemCount);
        }
      }
      expect(() => model.explain?.({ user: 0 }, dataset.itemCount + 1)).not.toThrow();
      expect(() => model.explain?.({}, 0)).not.toThrow();
    });

    const rmseFloor = options.floor?.rmse;
    if (rmseFloor !== undefined) {
      describe.skipIf(!hasMl100k)(`quality floor on ml-100k u1–u5 (RMSE ≤ ${rmseFloor})`, () => {
        it("meets the floor, scoring nearly every held-out pair", async () => {
          const rmses: number[] = [];
          for (let k = 1; k <= 5; k++) {
            const fold = ml100kFold(k);
            const m = fresh();
            await m.fit(fold.train, { rng: new Rng(k) });
            const { rmse, unscored } = rmseOf(predictPairs(m, fold.test), fold.test.values);
            expect(unscored).toBeLessThan(0.01);
            rmses.push(rmse);
          }
          const mean = rmses.reduce((a, b) => a + b, 0) / rmses.length;
          console.log(
            `${kind} RMSE on ml-100k u1–u5: ${rmses.map((r) => r.toFixed(4)).join(" ")} mean ${mean.toFixed(4)}`,
          );
          expect(mean).toBeLessThanOrEqual(rmseFloor);
        });
      });
    }
  });
}
