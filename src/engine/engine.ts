/**
 * The running engine behind the facade: the store, the algorithm registry,
 * the hosted models, a cached catalogue, and the per-query steps every
 * answer shares (read the customer's events, build each model's fold-in
 * query, fetch display names). Query functions live in their own files
 * (recommend.ts, predict.ts, styles.ts, neighbours.ts).
 */
import type { Query } from "../algorithms/recommender.js";
import type { AlgorithmRegistry } from "../algorithms/registry.js";
import type { IdMap } from "../core/id-map.js";
import type { Store } from "../storage/store.js";
import { Catalogue } from "./catalogue.js";
import type { ChainModel } from "./chain-scores.js";
import type { ResolvedOptions } from "./config.js";
import { type CustomerState, customerState, queryFor } from "./fold-in.js";
import { type HostedModel, ModelHost, refusesData } from "./model-host.js";

/** Even without a change in the item count, re-read the catalogue this often (availability, titles). */
const CATALOGUE_MAX_AGE_MS = 60_000;
/** Customers whose folded-in state is kept (least recently asked go first). */
const CUSTOMER_STATES = 4096;

interface HeldCustomer {
  /** `events:lastSeq` of the events the state was built from (Store.customerVersion's fingerprint). */
  readonly version: string;
  readonly state: CustomerState;
}

export class Engine {
  readonly host: ModelHost;
  private catalogueLoad: Promise<Catalogue> | undefined;
  private polledAt = 0;
  private forgetSeq = 0;
  private readonly customers = new Map<string, HeldCustomer>();
  /** Each customer state's fold-in query per model kind, with the id maps of the model it was built for. */
  private readonly queries = new WeakMap<
    CustomerState,
    Map<string, { readonly items: IdMap; readonly users: IdMap; readonly query: Query }>
  >();

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

  /**
   * The customer's current evidence (fold-in). With a store that has `customerVersion` (one index lookup:
   * the count of the customer's events and their last seq, which every append or removal changes), the
   * state built from the same events is reused; otherwise, and whenever the version moved, the events are
   * read from the store. Either way the answer reflects every event already in the store.
   */
  async customer(id: string): Promise<CustomerState> {
    if (!this.store.customerVersion) return this.readCustomer(id);
    const v = await this.store.customerVersion(id);
    const held = this.customers.get(id);
    if (held && held.version === `${v.events}:${v.lastSeq}`) {
      this.customers.delete(id); // Map order is the recency order
      this.customers.set(id, held);
      return held.state;
    }
    return this.readCustomer(id);
  }

  private async readCustomer(id: string): Promise<CustomerState> {
    const events = await this.store.customerEvents(id);
    const state = customerState(id, events, this.options.feedbackWeights);
    if (!this.store.customerVersion) return state;
    let lastSeq = 0;
    for (const e of events) if (e.seq > lastSeq) lastSeq = e.seq;
    // Keyed by the version of the events actually read (an event may have landed since the lookup).
    this.customers.delete(id);
    if (this.customers.size >= CUSTOMER_STATES) {
      const oldest = this.customers.keys().next().value;
      if (oldest !== undefined) this.customers.delete(oldest);
    }
    this.customers.set(id, { version: `${events.length}:${lastSeq}`, state });
    return state;
  }

  /** The fold-in query of a customer state for one model, built once per state and model (it is immutable). */
  private queryOf(state: CustomerState, bundle: HostedModel): Query {
    let byKind = this.queries.get(state);
    if (!byKind) {
      byKind = new Map();
      this.queries.set(state, byKind);
    }
    // One entry per kind: a refitted model (new id maps) replaces the query of the one before, so a state kept
    // across many refits holds no queries of models long gone.
    const held = byKind.get(bundle.kind);
    if (held && held.items === bundle.items && held.users === bundle.users) return held.query;
    const query = queryFor(state, bundle.users, bundle.items);
    byKind.set(bundle.kind, { items: bundle.items, users: bundle.users, query });
    return query;
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
      out.push({ bundle, query: this.queryOf(state, bundle), align: catalogue.alignTo(bundle.items) });
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
