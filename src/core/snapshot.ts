/**
 * Model snapshots: a versioned JSON header plus raw typed-array bytes. Restoring
 * goes through the algorithm registry; nothing is ever evaluated as code.
 *
 * Byte layout: "KNDS" magic, u32 format version, u32 header length, header
 * JSON (UTF-8), padding to 8 bytes, then each array's bytes at the offset the
 * header records (8-byte aligned, little-endian as on every supported host).
 */
import { KindredError } from "./errors.js";

export type NumericArray = Float64Array | Float32Array | Int32Array | Uint32Array | Uint8Array | Int8Array;

export interface ModelSnapshot {
  /** Registry key of the algorithm. */
  readonly kind: string;
  /** The algorithm's own snapshot version; restore refuses versions it does not know. */
  readonly version: number;
  /** The validated config the model was built with. */
  readonly config: Readonly<Record<string, unknown>>;
  /** Small JSON-serialisable state (scalars, shapes, nested snapshots' bytes are arrays). */
  readonly meta: Readonly<Record<string, unknown>>;
  /** The model's numbers. */
  readonly arrays: Readonly<Record<string, NumericArray>>;
}

const MAGIC = 0x53444e4b; // "KNDS" little-endian
const FORMAT_VERSION = 1;

const ARRAY_TYPES = {
  Float64Array,
  Float32Array,
  Int32Array,
  Uint32Array,
  Uint8Array,
  Int8Array,
} as const;
type ArrayTypeName = keyof typeof ARRAY_TYPES;

interface ArrayDescriptor {
  name: string;
  type: ArrayTypeName;
  offset: number;
  length: number;
}

const align8 = (n: number): number => (n + 7) & ~7;

export function encodeSnapshot(snapshot: ModelSnapshot): Uint8Array {
  const descriptors: ArrayDescriptor[] = [];
  let offset = 0;
  for (const [name, array] of Object.entries(snapshot.arrays)) {
    const type = array.constructor.name as ArrayTypeName;
    if (!(type in ARRAY_TYPES))
      throw new KindredError("INTERNAL", `snapshot array "${name}" has unsupported type ${type}`);
    descriptors.push({ name, type, offset, length: array.length });
    offset = align8(offset + array.byteLength);
  }
  const header = new TextEncoder().encode(
    JSON.stringify({
      kind: snapshot.kind,
      version: snapshot.version,
      config: snapshot.config,
      meta: snapshot.meta,
      arrays: descriptors,
    }),
  );
  const dataStart = align8(12 + header.length);
  const bytes = new Uint8Array(dataStart + offset);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, FORMAT_VERSION, true);
  view.setUint32(8, header.length, true);
  bytes.set(header, 12);
  for (const d of descriptors) {
    const array = snapshot.arrays[d.name] as NumericArray;
    bytes.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), dataStart + d.offset);
  }
  return bytes;
}

export function decodeSnapshot(bytes: Uint8Array): ModelSnapshot {
  const fail = (why: string): never => {
    throw new KindredError("INVALID_INPUT", `model snapshot: ${why}`, { field: "snapshot" });
  };
  if (bytes.length < 12) fail("too short to be a snapshot");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) fail("not a Kindred model snapshot (bad magic)");
  const format = view.getUint32(4, true);
  if (format !== FORMAT_VERSION) fail(`format version ${format} is not supported (expected ${FORMAT_VERSION})`);
  const headerLength = view.getUint32(8, true);
  if (12 + headerLength > bytes.length) fail("header runs past the end");
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength))) as {
    kind: string;
    version: number;
    config: Record<string, unknown>;
    meta: Record<string, unknown>;
    arrays: ArrayDescriptor[];
  };
  const dataStart = align8(12 + headerLength);
  const arrays: Record<string, NumericArray> = {};
  for (const d of header.arrays) {
    const Ctor = ARRAY_TYPES[d.type];
    if (!Ctor) fail(`array "${d.name}" has unknown type ${d.type}`);
    const byteLength = d.length * Ctor.BYTES_PER_ELEMENT;
    const start = bytes.byteOffset + dataStart + d.offset;
    if (dataStart + d.offset + byteLength > bytes.length) fail(`array "${d.name}" runs past the end`);
    // Copy into a fresh, aligned buffer: the source may be a slice of a larger, unaligned buffer.
    const copy = new Uint8Array(byteLength);
    copy.set(new Uint8Array(bytes.buffer, start, byteLength));
    arrays[d.name] = new Ctor(copy.buffer);
  }
  return { kind: header.kind, version: header.version, config: header.config, meta: header.meta, arrays };
}
