import { STEP_ITEMS, type Steps } from '../core/services/steps.ts';

/**
 * A reply's JSON text, made in steps ahead of sending it, as pieces to write one after the
 * other. The outline of a 100k-rule dump is 8.8 MB of JSON: one JSON.stringify of it took
 * 70–140 ms, and a keystroke that came meanwhile waited for it. A transport that writes the
 * pieces (see PiecewiseStreamWriter) sends them as they are; any other serializes `value`
 * itself (JSON.stringify calls toJSON).
 */
export class JsonParts {
  readonly parts: string[];
  readonly value: unknown;

  constructor(parts: string[], value: unknown) {
    this.parts = parts;
    this.value = value;
  }

  /** The value for JSON.stringify: a list of numbers kept as a typed array is given as a plain list. */
  toJSON(): unknown {
    const v = this.value;
    if (isNumberList(v)) return Array.from(v);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, isNumberList(x) ? Array.from(x) : x]));
  }
}

/** A typed array of numbers (semantic tokens are five numbers a token, 16 or 32 bits each). */
function isNumberList(value: unknown): value is Uint32Array | Int32Array | Float64Array {
  return ArrayBuffer.isView(value) && !(value instanceof DataView) && !(value instanceof BigInt64Array) && !(value instanceof BigUint64Array);
}

/** Numbers of a typed array written in one piece: a few steps' worth of numbers. */
const NUMBERS_PER_PIECE = 64 * STEP_ITEMS;

/**
 * `value` as JsonParts: what JSON.stringify gives (a typed array of numbers is written as a
 * list), with a yield after each piece of STEP_ITEMS array items. Typed as the value it stands for, which is what a handler is to return (the
 * LSP library passes a reply's result on to the writer untouched).
 */
export function* jsonPartsSteps<T>(value: T): Steps<T> {
  const parts: string[] = [];
  yield* writeJson(value, parts);
  return new JsonParts(parts, value) as unknown as T;
}

/** An array longer than a step, or an object with one among its properties (a table's chains in the outline). */
function holdsLongArray(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > STEP_ITEMS;
  if (isNumberList(value)) return true;
  if (value === null || typeof value !== 'object' || 'toJSON' in value) return false;
  for (const v of Object.values(value)) if ((Array.isArray(v) && v.length > STEP_ITEMS) || isNumberList(v)) return true;
  return false;
}

function* writeJson(value: unknown, out: string[]): Steps<void> {
  if (isNumberList(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i += NUMBERS_PER_PIECE) {
      out.push(`${i ? ',' : ''}${value.subarray(i, i + NUMBERS_PER_PIECE).join(',')}`);
      yield;
    }
    out.push(']');
    return;
  }
  if (!holdsLongArray(value) && !(Array.isArray(value) && value.some(holdsLongArray))) {
    // undefined (a property left out) is never written here: its owner leaves out the property
    out.push(JSON.stringify(value) ?? 'null');
    return;
  }
  if (Array.isArray(value)) {
    out.push('[');
    if (value.some(holdsLongArray)) {
      for (let i = 0; i < value.length; i++) {
        if (i) out.push(',');
        // in an array, what JSON.stringify leaves out of an object is written as null
        yield* writeJson(value[i] === undefined || typeof value[i] === 'function' ? null : value[i], out);
      }
    } else {
      for (let i = 0; i < value.length; i += STEP_ITEMS) {
        if (i) out.push(',');
        // one step's items as one piece, without the brackets of its own list
        out.push(JSON.stringify(value.slice(i, i + STEP_ITEMS)).slice(1, -1));
        yield;
      }
    }
    out.push(']');
    return;
  }
  out.push('{');
  let first = true;
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    out.push(`${first ? '' : ','}${JSON.stringify(key)}:`);
    first = false;
    yield* writeJson(v, out);
  }
  out.push('}');
}
