// The one reader of form posts: every text field is length-bounded here, before a route or a
// service runs any pattern on it (a megabyte e-mail is refused in O(1), not matched).
import type { Ctx } from "./route.ts";
import { FIELD_MAX, ID_MAX, tooLongMessage } from "../services/text.ts";
import { ValidationError } from "../services/errors.ts";
import { noteSubmission } from "./actor.ts";

export type FormBody = Record<string, string | File | (string | File)[]>;

export interface FormOptions {
  /** Repeated fields as arrays (e.g. several phones). */
  all?: boolean;
  /** Per-field bounds above `FIELD_MAX` (a drawn signature, a contract section). */
  long?: (name: string) => number | undefined;
}

const isIdField = (name: string) => name === "id" || name.endsWith("Id");

/** Parses the form and refuses any text field longer than its bound (400, pt-BR). */
export async function readForm(c: Ctx, opts: FormOptions = {}): Promise<FormBody> {
  const body = await c.req.parseBody({ all: !!opts.all }) as FormBody;
  const f: Record<string, string> = {};
  for (const [name, v] of Object.entries(body)) {
    const values = Array.isArray(v) ? v : [v];
    const long = (max: number) => values.some((x) => typeof x === "string" && x.length > max);
    if (name.length > 100) f[name.slice(0, 100)] = "Campo inválido.";
    // Ids (`id`, `contractId`…) go into KV keys: bounded far below KV's key limit.
    else if (isIdField(name) && long(ID_MAX)) f[name] = "Identificador inválido.";
    else if (long(opts.long?.(name) ?? FIELD_MAX)) {
      f[name] = tooLongMessage("Campo", opts.long?.(name) ?? FIELD_MAX);
    }
  }
  if (Object.keys(f).length) throw new ValidationError(f);
  noteSubmission(c, body._sub); // a repeated form answers like the first (services/submissions.ts)
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
