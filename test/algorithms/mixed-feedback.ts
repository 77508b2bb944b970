/**
 * A generated community where purchases carry signal the ratings do not:
 * every customer has a hidden style (A or B), every item one of the two
 * styles; a rating is 3 + quality ± 1 (style match or not) + noise, but each
 * customer rated only a handful of items, while their purchases (mostly of
 * their own style) reveal the style. A model that learns from purchases as
 * implicit evidence should predict the held-out ratings better than one that
 * sees the ratings alone.
 */
import { Dataset } from "../../src/core/dataset.js";
import { InteractionLog } from "../../src/core/interaction-log.js";
import { Rng } from "../../src/core/rng.js";
import { EVENT_TYPE_CODE } from "../../src/core/types.js";
import type { TestPairs } from "../helpers/data.js";

export function styleCommunity(seed = 5): { train: Dataset; test: TestPairs } {
  const rng = new Rng(seed);
  const users = 400;
  const items = 120;
  const itemStyle = Int8Array.from({ length: items }, (_, i) => (i % 2 === 0 ? 1 : -1));
  const quality = Float64Array.from({ length: items }, () => rng.normal(0, 0.3));
  const log = new InteractionLog();
  for (let i = 0; i < items; i++) log.items.add(`i${i}`);
  const test = { users: [] as number[], items: [] as number[], values: [] as number[] };
  const rating = (style: number, i: number): number =>
    Math.min(5, Math.max(1, Math.round(3 + quality[i]! + style * itemStyle[i]! + rng.normal(0, 0.3))));
  for (let u = 0; u < users; u++) {
    const user = log.users.add(`u${u}`);
    const style = rng.next() < 0.5 ? 1 : -1;
    for (let k = 0; k < 12; k++) {
      // 90% of purchases in the customer's own style.
      let i = rng.int(items);
      if (rng.next() < 0.9 && itemStyle[i] !== style) i = (i + 1) % items;
      log.push(user, i, EVENT_TYPE_CODE.purchase, 1, u * 100 + k);
    }
    const rated = new Set<number>();
    while (rated.size < 8) rated.add(rng.int(items));
    let k = 0;
    for (const i of rated) {
      const r = rating(style, i);
      if (k++ < 3) log.push(user, i, EVENT_TYPE_CODE.rating, r, u * 100 + 50 + k);
      else {
        test.users.push(user);
        test.items.push(i);
        test.values.push(r);
      }
    }
  }
  return {
    train: Dataset.fromLog(log),
    test: {
      users: Int32Array.from(test.users),
      items: Int32Array.from(test.items),
      values: Float32Array.from(test.values),
    },
  };
}
