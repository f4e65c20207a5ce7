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

/** More fields than any of our forms has: millions of empty ones would block the event loop. */
export const MAX_FORM_FIELDS = 1000;

/** How many fields a raw form body holds, counted in one linear pass before any parsing. */
function fieldCount(raw: Uint8Array, type: string): number {
  if (type.startsWith("application/x-www-form-urlencoded")) {
    let n = 1;
    for (const b of raw) if (b === 0x26) n++; // "&"
    return n;
  }
  const boundary = /boundary="?([^";]{1,200})"?/i.exec(type)?.[1];
  if (!boundary) return 0;
  return new TextDecoder("latin1").decode(raw).split(`--${boundary}`).length - 2;
}

/**
 * Hono's parseBody behind two guards: the number of fields is bounded before parsing, and a
 * malformed body is a 400 in pt-BR, never a 500. Every form post goes through here.
 */
export async function parseFormBody(c: Ctx, all = false): Promise<FormBody> {
  const type = (c.req.header("content-type") ?? "").toLowerCase();
  if (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/")) {
    // Hono keeps the raw body, so parseBody below reads the same bytes again.
    if (fieldCount(new Uint8Array(await c.req.arrayBuffer()), type) > MAX_FORM_FIELDS) {
      throw new ValidationError({ _form: "O formulário enviado tem campos demais." });
    }
  }
  try {
    return await c.req.parseBody({ all }) as FormBody;
  } catch {
    throw new ValidationError({ _form: "Não foi possível ler o formulário enviado." });
  }
}

/** Parses the form and refuses any text field longer than its bound (400, pt-BR). */
export async function readForm(c: Ctx, opts: FormOptions = {}): Promise<FormBody> {
  const body = await parseFormBody(c, !!opts.all);
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
