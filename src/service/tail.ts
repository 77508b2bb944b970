/**
 * Tailing the store, so that several instances over one store stay consistent
 * (new events need nothing: the engine reads the customer's events per
 * request). Each tick: the engine looks for other processes' writes (forget
 * records, catalogue changes, newer models) and adopts the models the store
 * marks active (a rollback elsewhere); the answer cache is invalidated when
 * the active models, the forget log or the catalogue moved.
 */
import type { ServiceContext } from "./context.js";

export function createTail(ctx: Pick<ServiceContext, "kindred" | "store" | "answers">): () => Promise<void> {
  let lastForget = -1;
  let lastModels = "";
  let lastItems = -1;
  return async () => {
    await ctx.kindred.refresh();
    await ctx.kindred.reloadModels();
    const [models, stats] = await Promise.all([ctx.store.listModels(), ctx.store.stats()]);
    const active = models
      .filter((m) => m.active)
      .map((m) => `${m.kind}:${m.id}`)
      .sort()
      .join(",");
    const forgets = await ctx.store.forgottenSince(Math.max(lastForget, 0));
    const forgetSeq = forgets[forgets.length - 1]?.seq ?? Math.max(lastForget, 0);
    const changed =
      (lastForget >= 0 && forgetSeq !== lastForget) ||
      (lastModels !== "" && active !== lastModels) ||
      (lastItems >= 0 && stats.items !== lastItems);
    lastForget = forgetSeq;
    lastModels = active;
    lastItems = stats.items;
    if (changed) ctx.answers.invalidate();
  };
}
