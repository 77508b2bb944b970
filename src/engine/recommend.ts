/**
 * recommend(): candidates (the available catalogue in the asked domain and
 * category, minus what the customer rated or bought) → scores from the head
 * of the fallback chain, holes filled by the next models → one top-k heap →
 * an explanation for every item, in the customer's words.
 */
import { ValidationError } from "../core/errors.js";
import type { Catalogue } from "./catalogue.js";
import { type ChainModel, type ChainScores, rankChain, scoreChain } from "./chain-scores.js";
import { chainFor } from "./config.js";
import type { Engine } from "./engine.js";
import { neighbourIds, one, renderExplanation } from "./explain-render.js";
import type { CustomerState } from "./fold-in.js";
import { parseId, parseWith, recommendOptionsSchema } from "./inputs.js";
import type { Recommendation, RecommendOptions, RecommendResult, RenderedExplanation } from "./types.js";

export async function recommend(
  engine: Engine,
  rawCustomer: string,
  rawOptions: RecommendOptions = {},
): Promise<RecommendResult> {
  const customer = parseId(rawCustomer, "customer");
  const o = parseWith(recommendOptionsSchema, rawOptions, "options");
  await engine.refresh();
  const kinds = chainFor(engine.options, o.algorithm, "recommend");
  const [catalogue, state] = await Promise.all([engine.catalogue(), engine.customer(customer)]);
  checkFilters(catalogue, o.domain, o.category);
  const chain = await engine.chain(kinds, state, catalogue, o.algorithm);
  const candidates = candidatePositions(catalogue, state, o.domain, o.category, o.includeSeen);
  const scored = scoreChain(chain, catalogue, candidates, true);
  const top = rankChain(scored, chain.length, o.n);
  const explanations = o.explain ? await explainAll(engine, chain, catalogue, state, scored, top) : undefined;
  const items: Recommendation[] = Array.from(top, (p, k) => {
    const explanation = explanations?.[k];
    return {
      item: catalogue.items[p]!.id,
      title: catalogue.items[p]!.title,
      score: scored.scores[p]!,
      ...(explanation ? { explanation } : {}),
    };
  });
  return { customer, algorithm: kinds[0]!, items };
}

/** A domain or category no item has is almost always a typo: say so instead of answering nothing. */
export function checkFilters(catalogue: Catalogue, domain?: string, category?: string): void {
  if (domain !== undefined && !catalogue.scales.has(domain)) {
    throw new ValidationError(
      "domain",
      `unknown domain "${domain}" (known: ${[...catalogue.scales.keys()].join(", ")})`,
    );
  }
  if (category !== undefined && !catalogue.categories().has(category)) {
    throw new ValidationError("category", `no item has the category "${category}"`);
  }
}

/** Catalogue positions that may be recommended: available, in the filters, and (unless asked) not yet seen. */
export function candidatePositions(
  catalogue: Catalogue,
  state: CustomerState,
  domain: string | undefined,
  category: string | undefined,
  includeSeen: boolean,
): Int32Array {
  const excluded = catalogue.excluded(domain, category);
  const skip = includeSeen ? excluded : excluded.slice();
  if (!includeSeen) {
    for (const item of state.seen) {
      const p = catalogue.ids.get(item);
      if (p >= 0) skip[p] = 1;
    }
  }
  let n = 0;
  for (let p = 0; p < skip.length; p++) if (skip[p] === 0) n++;
  const out = new Int32Array(n);
  for (let p = 0, k = 0; p < skip.length; p++) if (skip[p] === 0) out[k++] = p;
  return out;
}

async function explainAll(
  engine: Engine,
  chain: readonly ChainModel[],
  catalogue: Catalogue,
  state: CustomerState,
  scored: ChainScores,
  top: Int32Array,
): Promise<RenderedExplanation[]> {
  const raw = Array.from(top, (p) => {
    const link = chain[scored.source[p]!]!;
    const explanation = link.bundle.model.explain?.(link.query, link.align[p]!);
    return { link, explanation, score: scored.scores[p]! };
  });
  const ids = raw.flatMap((r) => (r.explanation ? neighbourIds(r.explanation, r.link.bundle) : []));
  const names = await engine.names(ids);
  const ctx = { catalogue, names, evidence: state.evidence, ratings: state.ratings };
  return raw.map(({ link, explanation, score }) =>
    explanation
      ? renderExplanation(explanation, link.bundle, ctx)
      : {
          text: `${link.bundle.kind} predicts ${one(Math.round(score * 10) / 10)} for you`,
          kind: "score" as const,
          algorithm: link.bundle.kind,
        },
  );
}
