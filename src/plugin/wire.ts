/**
 * Property values as the engine sends them over gRPC (a `google.protobuf.Struct` whose values carry Pulumi's
 * sentinels for secrets and unknowns), and back. The provider implementation sees plain values; secretness is kept
 * aside per top-level property and put back on the way out, so a secret label stays a secret output.
 */
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { UNKNOWN_VALUE } from "../provider/schemas";

export { UNKNOWN_VALUE };

/**
 * The key and value that mark an object as one of Pulumi's special values, and the one marking a secret: on the
 * wire and in state alike (`stack export --show-secrets` gives a secret's value as JSON text in `plaintext`).
 */
export const SPECIAL_SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";

export type PlainValue = null | boolean | number | string | PlainValue[] | { [key: string]: PlainValue };
export type PropertyValues = Record<string, PlainValue>;

/** Plain values, and which top-level properties held a secret anywhere inside them. */
export interface Unwrapped {
  values: PropertyValues;
  secretKeys: Set<string>;
}

function isRecord(value: unknown): value is Record<string, PlainValue> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Removes secret wrappers (noting that one was found), leaving every other value as it is. */
function unwrapValue(value: PlainValue, onSecret: () => void): PlainValue {
  if (Array.isArray(value)) return value.map((item) => unwrapValue(item, onSecret));
  if (!isRecord(value)) return value;
  if (value[SPECIAL_SIGNATURE_KEY] === SECRET_SIGNATURE) {
    onSecret();
    return unwrapValue(value.value ?? null, onSecret);
  }
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, unwrapValue(item, onSecret)]));
}

export function unwrapStruct(struct: Struct | undefined): Unwrapped {
  const secretKeys = new Set<string>();
  const values: PropertyValues = {};
  for (const [key, value] of Object.entries((struct?.toJavaScript() ?? {}))) {
    values[key] = unwrapValue(value, () => secretKeys.add(key));
  }
  return { values, secretKeys };
}

export function secretOf(value: PlainValue): PlainValue {
  return { [SPECIAL_SIGNATURE_KEY]: SECRET_SIGNATURE, value };
}

/** A Struct of `values` (undefined ones left out: the engine rejects them), the `secretKeys` wrapped as secrets. */
export function toStruct(values: object, secretKeys: ReadonlySet<string> = new Set()): Struct {
  const wire: PropertyValues = {};
  for (const [key, value] of Object.entries(values) as [string, PlainValue | undefined][]) {
    if (value === undefined) continue;
    wire[key] = secretKeys.has(key) ? secretOf(value) : value;
  }
  return Struct.fromJavaScript(wire);
}

export function containsUnknown(value: PlainValue): boolean {
  if (value === UNKNOWN_VALUE) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  return isRecord(value) && Object.values(value).some(containsUnknown);
}
