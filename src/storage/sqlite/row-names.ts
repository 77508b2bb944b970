/**
 * In-memory maps between the integer rowids of one table (customers or items)
 * and their external ids, so the event log is written and read in integers:
 * appends skip a lookup per event, scans skip two joins and share one string
 * per customer instead of allocating one per event.
 *
 * Why this is safe across processes: the tables are AUTOINCREMENT, so a rowid
 * is never reused and new rows always have higher rowids than any seen —
 * `refresh()` reads only rows above the highest it has read. An entry can go stale
 * only when another process forgets a customer; an append that uses it then
 * fails its FOREIGN KEY check and the caller `reset()`s and retries.
 */
import type Database from "better-sqlite3";

export class RowNames {
  private names: (string | undefined)[] = [];
  private readonly ids = new Map<string, number>();
  private maxId = 0;
  private readonly since: Database.Statement<[number], [number, string]>;

  constructor(
    db: Database.Database,
    private readonly table: "customers" | "items",
  ) {
    this.since = db
      .prepare<[number], [number, string]>(`SELECT id, external_id FROM ${table} WHERE id > ? ORDER BY id`)
      .raw();
  }

  /** Loads the rows added since the last refresh (all of them the first time). */
  refresh(): void {
    for (const [id, name] of this.since.iterate(this.maxId)) {
      this.add(id, name);
      this.maxId = id;
    }
  }

  /** The external id of rowid `id` (refreshing once if it is new to us). */
  name(id: number): string {
    let name = this.names[id];
    if (name === undefined) {
      this.refresh();
      name = this.names[id];
      if (name === undefined) throw new Error(`row ${id} of ${this.table} is missing`);
    }
    return name;
  }

  /** The rowid of an external id, if known here (the caller asks the table on a miss). */
  id(name: string): number | undefined {
    return this.ids.get(name);
  }

  /**
   * Only `refresh()` advances the high-water mark: a row added here (one looked up or inserted by an
   * append) may sit above rows not yet loaded, which a later refresh must still read.
   */
  add(id: number, name: string): void {
    this.names[id] = name;
    this.ids.set(name, id);
  }

  /** After this process deleted the row. */
  drop(name: string): void {
    const id = this.ids.get(name);
    if (id === undefined) return;
    this.ids.delete(name);
    this.names[id] = undefined;
  }

  /** Forgets everything (after a rolled-back write, whose rowids may be handed out again). */
  reset(): void {
    this.names = [];
    this.ids.clear();
    this.maxId = 0;
  }
}
