// The one reader of form posts: every text field is length-bounded here, before a route or a
// service runs any pattern on it (a megabyte e-mail is refused in O(1), not matched).
import type { Ctx } from "./route.ts";
import { FIELD_MAX, tooLongMessage } from "../services/text.ts";
import { ValidationError } from "../services/errors.ts";

export type FormBody = Record<string, string | File | (string | File)[]>;

export interface FormOptions {
  /** Repeated fields as arrays (e.g. several phones). */
  all?: boolean;
  /** Per-field bounds above `FIELD_MAX` (a drawn signature, a contract section). */
  long?: (name: string) => number | undefined;
}

/** Parses the form and refuses any text field longer than its bound (400, pt-BR). */
export async function readForm(c: Ctx, opts: FormOptions = {}): Promise<FormBody> {
  const body = await c.req.parseBody({ all: !!opts.all }) as FormBody;
  const f: Record<string, string> = {};
  for (const [name, v] of Object.entries(body)) {
    const max = opts.long?.(name) ?? FIELD_MAX;
    const values = Array.isArray(v) ? v : [v];
    if (name.length > 100 || values.some((x) => typeof x === "string" && x.length > max)) {
      f[name.slice(0, 100)] = tooLongMessage("Campo", max);
    }
  }
  if (Object.keys(f).length) throw new ValidationError(f);
  return body;
}

/** The form's fields as strings (files excluded) — the common case for thin routes. */
export async function formFields(
  c: Ctx,
  opts: Omit<FormOptions, "all"> = {},
): Promise<Record<string, string>> {
  const body = await readForm(c, opts);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === "string") out[k] = v;
  return out;
}
