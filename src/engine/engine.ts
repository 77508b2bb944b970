/**
 * The running engine behind the facade: the store, the algorithm registry,
 * the hosted models, a cached catalogue, and the per-query steps every
 * answer shares (read the customer's events, build each model's fold-in
 * query, fetch display names). Query functions live in their own files
 * (recommend.ts, predict.ts, styles.ts, neighbours.ts).
 */
import type { AlgorithmRegistry } from "../algorithms/registry.js";
import type { Store } from "../storage/store.js";
import { Catalogue } from "./catalogue.js";
import type { ChainModel } from "./chain-scores.js";
import type { ResolvedOptions } from "./config.js";
import { type CustomerState, customerState, queryFor } from "./fold-in.js";
import { type HostedModel, ModelHost, refusesData } from "./model-host.js";

/** Even without a change in the item count, re-read the catalogue this often (availability, titles). */
const CATALOGUE_MAX_AGE_MS = 60_000;

export class Engine {
  readonly host: ModelHost;
  private catalogueLoad: Promise<Catalogue> | undefined;
  private polledAt = 0;
  private forgetSeq = 0;

  constructor(
    readonly store: Store,
    readonly registry: AlgorithmRegistry,
    readonly options: ResolvedOptions,
  ) {
    this.host = new ModelHost(store, registry, options);
  }

  catalogue(): Promise<Catalogue> {
    if (!this.catalogueLoad) {
      const load = Catalogue.load(this.store);
      this.catalogueLoad = load;
      load.catch(() => {
        if (this.catalogueLoad === load) this.catalogueLoad = undefined;
      });
    }
    return this.catalogueLoad;
  }

  /** Events just written may name items the store created for them: re-read a catalogue that lacks them. */
  async noteItems(items: Iterable<string>): Promise<void> {
    if (!this.catalogueLoad) return; // not loaded yet: the first query reads a fresh one
    const catalogue = await this.catalogueLoad.catch(() => undefined);
    if (!catalogue) return;
    for (const item of items) {
      if (!catalogue.ids.has(item)) {
        this.invalidateCatalogue();
        return;
      }
    }
  }

  /** Our own writes changed items or domains. */
  invalidateCatalogue(): void {
    this.catalogueLoad = undefined;
  }

  /**
   * At most every `pollMs`: notice events, items and models other processes wrote (starts background refits
   * of stale models, adopts newer active models, re-reads a changed catalogue).
   */
  async refresh(): Promise<void> {
    const now = Date.now();
    if (now - this.polledAt < this.options.pollMs) return;
    this.polledAt = now;
    const stats = await this.store.stats();
    await this.checkForgets();
    this.host.observe(stats.lastSeq);
    const current = this.catalogueLoad ? await this.catalogueLoad.catch(() => undefined) : undefined;
    if (current && (current.size !== stats.items || now - current.loadedAt > CATALOGUE_MAX_AGE_MS)) {
      this.invalidateCatalogue();
    }
    await this.host.syncActive();
  }

  /** Notices customers forgotten since the last look (here or in another process). */
  async checkForgets(): Promise<void> {
    const forgets = await this.store.forgottenSince(this.forgetSeq);
    const last = forgets[forgets.length - 1];
    if (!last) return;
    this.forgetSeq = last.seq;
    this.host.forgottenAt(last.seq);
  }

  /** The customer's current evidence, straight from the store (fold-in). */
  async customer(id: string): Promise<CustomerState> {
    return customerState(id, await this.store.customerEvents(id), this.options.feedbackWeights);
  }

  /**
   * The models of a chain, in order, each with the customer's fold-in query and its catalogue alignment. A
   * model that cannot learn from the store's data (no usable evidence yet, a catalogue too large for it) is
   * passed over and the rest of the chain answers, unless it is the one the caller asked for (`asked`);
   * the refusal stays visible in host.refused.
   */
  async chain(
    kinds: readonly string[],
    state: CustomerState,
    catalogue: Catalogue,
    asked?: string,
  ): Promise<ChainModel[]> {
    const out: ChainModel[] = [];
    for (const kind of kinds) {
      let bundle: HostedModel;
      try {
        bundle = await this.host.get(kind);
      } catch (error) {
        if (kind !== asked && kinds.length > 1 && refusesData(error)) continue;
        throw error;
      }
      out.push({ bundle, query: queryFor(state, bundle.users, bundle.items), align: catalogue.alignTo(bundle.items) });
    }
    return out;
  }

  /** Display names (attributes.name, else the id) of the customers the store still knows. */
  async names(ids: Iterable<string>): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    const customers = await Promise.all(unique.map((id) => this.store.getCustomer(id)));
    const names = new Map<string, string>();
    customers.forEach((c, k) => {
      if (!c) return;
      const name = c.attributes.name;
      names.set(unique[k]!, typeof name === "string" && name.trim().length > 0 ? name : c.id);
    });
    return names;
  }

  close(): void {
    this.host.close();
  }
}
