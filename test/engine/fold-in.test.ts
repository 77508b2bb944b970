import { describe, expect, it } from "vitest";
import { IdMap } from "../../src/core/id-map.js";
import type { StoredEvent } from "../../src/core/types.js";
import { resolveOptions } from "../../src/engine/config.js";
import { customerState, queryFor } from "../../src/engine/fold-in.js";

const weights = resolveOptions({ feedbackWeights: { view: 0.5 } }).feedbackWeights;
let seq = 0;
const ev = (item: string, type: StoredEvent["type"], value: number | null = null, quantity: number | null = null) =>
  ({
    seq: ++seq,
    customer: "ann",
    item,
    type,
    value,
    quantity,
    amount: null,
    timestamp: seq,
    channel: "api",
    eventId: null,
  }) satisfies StoredEvent;

describe("fold-in", () => {
  const events = [
    ev("a", "rating", 2),
    ev("b", "purchase", null, 3),
    ev("a", "rating", 5), // latest wins
    ev("c", "view"),
    ev("c", "view"),
    ev("b", "purchase", null, 1),
    ev("d", "like"),
    ev("new", "rating", 4), // unknown to the model
  ];
  const state = customerState("ann", events, weights);

  it("keeps the latest rating, sums weighted implicit evidence, and marks rated or bought items seen", () => {
    expect([...state.ratings]).toEqual([
      ["a", 5],
      ["new", 4],
    ]);
    expect(state.feedback.get("b")).toBe(4); // 3 + 1 units × 1
    expect(state.feedback.get("c")).toBe(1); // 2 views × 0.5
    expect(state.feedback.get("d")).toBe(1);
    expect([...state.seen].sort()).toEqual(["a", "b", "new"]);
    expect(state.evidence.get("a")).toBe("rated");
    expect(state.evidence.get("b")).toBe("bought");
    expect(state.evidence.get("c")).toBe("viewed");
  });

  it("builds the query in the model's dense ids, sorted, ignoring items it does not know", () => {
    const users = new IdMap(["bob", "ann"]);
    const items = new IdMap(["d", "c", "b", "a"]);
    const q = queryFor(state, users, items);
    expect(q.user).toBe(1);
    expect(Array.from(q.history!.items)).toEqual([3]);
    expect(Array.from(q.history!.values)).toEqual([5]);
    expect(Array.from(q.feedback!.items)).toEqual([0, 1, 2]);
    expect(Array.from(q.feedback!.values)).toEqual([1, 1, 4]);
  });

  it("a customer with no events is unknown to every model and has no history", () => {
    const forgotten = customerState("bob", [], weights);
    const q = queryFor(forgotten, new IdMap(["bob"]), new IdMap(["a"]));
    expect(q.user).toBe(-1);
    expect(q.history).toBeUndefined();
    expect(q.feedback).toBeUndefined();
  });

  it("a customer new to the model but with ratings is folded in by history alone", () => {
    const q = queryFor(state, new IdMap(["bob"]), new IdMap(["a"]));
    expect(q.user).toBe(-1);
    expect(Array.from(q.history!.items)).toEqual([0]);
  });
});
