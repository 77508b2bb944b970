/**
 * The catalogue side of CSV and JSONL imports: an optional items CSV, and a
 * check of every batch of events against it. Items an event names that
 * neither the file nor the sink knows are created bare in the import's
 * domain; a rating off its item's domain scale is rejected with its line.
 */
import { ValidationError } from "../core/errors.js";
import { DEFAULT_DOMAIN, DEFAULT_SCALE, type Item, type NewEvent, type RatingScale } from "../core/types.js";
import { parseItem } from "../core/validate.js";
import type { ImportContext } from "./context.js";
import { headerIndex, readCsv } from "./csv-records.js";
import { basename, fileSize } from "./lines.js";
import { onScale } from "./movielens/common.js";
import type { ImportOptions } from "./types.js";

/** Documented columns of an items CSV; any other column becomes an attribute. */
export const ITEM_COLUMNS = ["id", "title", "domain", "categories", "available"] as const;

export class Catalogue {
  private readonly ctx: ImportContext;
  private readonly domain: string;
  private readonly scale: RatingScale;
  private readonly explicitScale: boolean;
  private readonly itemDomain = new Map<string, string>();
  private readonly scales = new Map<string, RatingScale>();

  constructor(ctx: ImportContext, options: ImportOptions) {
    this.ctx = ctx;
    this.domain = options.domain ?? DEFAULT_DOMAIN;
    this.scale = options.scale ?? DEFAULT_SCALE;
    this.explicitScale = options.scale !== undefined;
  }

  /**
   * Creates the domain with the import's scale unless the sink has it, and remembers its scale.
   * A scale asked for explicitly must match the one a held domain already has.
   */
  async useDomain(name: string): Promise<RatingScale> {
    const known = this.scales.get(name);
    if (known) return known;
    const held = await this.ctx.sink.getDomain(name);
    if (!held || this.explicitScale) await this.ctx.ensureDomain({ name, scale: this.scale });
    const scale = held?.scale ?? this.scale;
    this.scales.set(name, scale);
    return scale;
  }

  /** Reads an items CSV (header required: id, optional title, domain, categories `|`-separated, available). */
  async readItems(path: string): Promise<void> {
    const file = basename(path);
    let header: string[] | undefined;
    let idColumn = -1;
    let batch: Item[] = [];
    for await (const record of readCsv(path, (line, reason) => this.ctx.reject(file, line, reason))) {
      if (!header) {
        header = record.fields.map((h) => h.trim().toLowerCase());
        idColumn = headerIndex(header).get("id") ?? headerIndex(header).get("item") ?? -1;
        if (idColumn < 0)
          throw new ValidationError(`${file} header`, `needs an "id" column (found: ${header.join(", ")})`);
        continue;
      }
      const raw: Record<string, unknown> = { attributes: {} };
      const attributes = raw.attributes as Record<string, string>;
      record.fields.forEach((value, k) => {
        const name = k === idColumn ? "id" : header![k];
        if (name === undefined || name.length === 0 || value.length === 0) return;
        if (name === "categories")
          raw.categories = value
            .split("|")
            .map((c) => c.trim())
            .filter(Boolean);
        else if (name === "available") raw.available = !/^(false|0|no)$/i.test(value.trim());
        else if ((ITEM_COLUMNS as readonly string[]).includes(name)) raw[name] = value;
        else attributes[name] = value;
      });
      raw.domain ??= this.domain;
      let item: Item;
      try {
        item = parseItem(raw);
      } catch (error) {
        this.ctx.reject(file, record.line, error instanceof Error ? error.message : String(error));
        continue;
      }
      await this.useDomain(item.domain);
      this.itemDomain.set(item.id, item.domain);
      this.ctx.seenItem(item.id);
      batch.push(item);
      if (batch.length >= 10_000) {
        await this.ctx.sink.putItems(batch);
        batch = [];
      }
      if ((record.line & 1023) === 0) this.ctx.progress(record.bytes);
    }
    if (batch.length > 0) await this.ctx.sink.putItems(batch);
    this.ctx.fileDone(fileSize(path));
  }

  /** The batch filter: rejects ratings off their item's domain scale, then creates the unknown items kept. */
  readonly check = async (events: NewEvent[], lines: number[], file: string): Promise<NewEvent[]> => {
    const unknown = new Set<string>();
    for (const e of events) if (!this.itemDomain.has(e.item)) unknown.add(e.item);
    const held = unknown.size > 0 ? await this.ctx.sink.itemDomains([...unknown]) : new Map<string, string>();
    for (const [id, domain] of held) {
      this.itemDomain.set(id, domain);
      unknown.delete(id);
      await this.useDomain(domain);
    }
    if (unknown.size > 0) await this.useDomain(this.domain);
    const kept: NewEvent[] = [];
    const created: Item[] = [];
    for (let k = 0; k < events.length; k++) {
      const e = events[k]!;
      const domain = this.itemDomain.get(e.item) ?? this.domain;
      if (e.type === "rating") {
        const scale = this.scales.get(domain) ?? (await this.useDomain(domain));
        if (!onScale(e.value ?? Number.NaN, scale)) {
          this.ctx.reject(
            file,
            lines[k]!,
            `value: ${e.value} is off the scale of domain "${domain}" (${scale.min} to ${scale.max} in steps of ${scale.step})`,
          );
          continue;
        }
      }
      if (!this.itemDomain.has(e.item)) {
        // Created in the import's domain, only once an event of it is kept.
        this.itemDomain.set(e.item, this.domain);
        created.push({ id: e.item, title: null, domain: this.domain, categories: [], attributes: {}, available: true });
      }
      kept.push(e);
    }
    if (created.length > 0) await this.ctx.sink.putItems(created);
    return kept;
  };
}
