/**
 * External string ids ↔ dense integer ids (0..size-1). Models work on the
 * dense ids only; the engine translates at its edges.
 */
export class IdMap {
  private readonly toDense = new Map<string, number>();
  private readonly toExternal: string[] = [];

  constructor(ids: Iterable<string> = []) {
    for (const id of ids) this.add(id);
  }

  get size(): number {
    return this.toExternal.length;
  }

  /** The dense id, or -1 when the external id is not known. */
  get(id: string): number {
    return this.toDense.get(id) ?? -1;
  }

  has(id: string): boolean {
    return this.toDense.has(id);
  }

  /** The dense id, adding the external id if it is new. */
  add(id: string): number {
    const known = this.toDense.get(id);
    if (known !== undefined) return known;
    const dense = this.toExternal.length;
    this.toDense.set(id, dense);
    this.toExternal.push(id);
    return dense;
  }

  /** The external id of a dense id; throws on an out-of-range id (a bug, not bad input). */
  external(dense: number): string {
    const id = this.toExternal[dense];
    if (id === undefined) throw new RangeError(`dense id ${dense} is out of range 0..${this.size - 1}`);
    return id;
  }

  /** All external ids in dense order. */
  ids(): readonly string[] {
    return this.toExternal;
  }

  clone(): IdMap {
    return new IdMap(this.toExternal);
  }
}
