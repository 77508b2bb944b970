/**
 * Turns a log and a choice of held-out pairs into a Fold: a training Dataset
 * with its own dense ids (only the customers and items seen in training, in
 * order of first appearance) and the held-out events in those ids (-1 for a
 * customer or item training never saw).
 */
import { Dataset } from "../../core/dataset.js";
import { ValidationError } from "../../core/errors.js";
import { IdMap } from "../../core/id-map.js";
import { InteractionLog } from "../../core/interaction-log.js";
import type { RatingScale } from "../../core/types.js";
import type { Fold } from "../types.js";
import type { PairUnits } from "./units.js";

export function buildFold(
  log: InteractionLog,
  units: PairUnits,
  testUnit: Uint8Array,
  name: string,
  split: string,
  scale?: RatingScale,
): Fold {
  const n = log.length;
  let testCount = 0;
  for (let p = 0; p < n; p++) if (testUnit[units.unitOf[p]!] !== 0) testCount++;
  const trainCount = n - testCount;
  if (testCount === 0) throw new ValidationError("split", `"${split}" leaves fold ${name} with no test events`);
  if (trainCount === 0) throw new ValidationError("split", `"${split}" leaves fold ${name} with no training events`);

  const users = new IdMap();
  const items = new IdMap();
  const userMap = new Int32Array(log.users.size).fill(-1);
  const itemMap = new Int32Array(log.items.size).fill(-1);
  const train = new InteractionLog(users, items, trainCount);
  for (let p = 0; p < n; p++) {
    if (testUnit[units.unitOf[p]!] !== 0) continue;
    const u = log.user[p]!;
    const i = log.item[p]!;
    if (userMap[u] === -1) userMap[u] = users.add(log.users.external(u));
    if (itemMap[i] === -1) itemMap[i] = items.add(log.items.external(i));
    train.push(userMap[u]!, itemMap[i]!, log.type[p]!, log.value[p]!, log.time[p]!);
  }
  const test = {
    users: new Int32Array(testCount),
    items: new Int32Array(testCount),
    values: new Float32Array(testCount),
    types: new Uint8Array(testCount),
  };
  for (let p = 0, k = 0; p < n; p++) {
    if (testUnit[units.unitOf[p]!] === 0) continue;
    test.users[k] = userMap[log.user[p]!]!;
    test.items[k] = itemMap[log.item[p]!]!;
    test.values[k] = log.value[p]!;
    test.types[k] = log.type[p]!;
    k++;
  }
  return { name, train: Dataset.fromLog(train, scale), test };
}
