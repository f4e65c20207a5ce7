// Text bounds. Every text that reaches a pattern (regex, normalization, parsing) is measured
// first: a length check is O(1), while even a linear pattern on a megabyte costs time on the
// one event loop. Limits are per kind of field; `FIELD_MAX` caps any field of any form.
import { formatCount } from "../domain/format.ts";
import { ValidationError } from "./errors.ts";

export const TEXT_MAX = {
  name: 120,
  /** RFC 5321's path limit. */
  email: 254,
  phone: 40,
  document: 40,
  street: 200,
  number: 20,
  district: 120,
  city: 120,
  state: 2,
  zip: 20,
  /** A cell of an imported CSV (the parser refuses beyond `csvField`). */
  csvCell: 1000,
  csvField: 10_000,
} as const;

/**
 * Any id taken from a request (path, form): ULIDs have 26 characters, links 43. KV refuses keys
 * over 2 KB with an error that would be a 500; a longer id names nothing.
 */
export const ID_MAX = 128;

/** Any single form field; forms with longer texts (contract sections, drawings) say so. */
export const FIELD_MAX = 20_000;

export function tooLongMessage(label: string, max: number): string {
  return `${label} longo demais: no máximo ${formatCount(max)} caracteres.`;
}

/** True when `s` is longer than `max` (undefined counts as empty). */
export function tooLong(s: string | undefined, max: number): boolean {
  return (s?.length ?? 0) > max;
}

/**
 * Refuses, before anything else looks at them, the values longer than their bound: one pt-BR
 * message per field. `fields` maps a field name to [value(s), max, label].
 */
export function assertBounded(
  fields: Record<string, [string | string[] | undefined, number, string]>,
): void {
  const f: Record<string, string> = {};
  for (const [name, [value, max, label]] of Object.entries(fields)) {
    const values = Array.isArray(value) ? value : [value];
    if (values.some((v) => tooLong(v, max))) f[name] = tooLongMessage(label, max);
  }
  if (Object.keys(f).length) throw new ValidationError(f);
}
