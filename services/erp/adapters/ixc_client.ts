// IXC Provedor's REST webservice (https://HOST/webservice/v1/<table>), as its public docs
// describe it (links in docs/erp.md): HTTP Basic with the user's token ("id:token"); a listing
// is a request with the header `ixcsoft: listar` and a JSON body (qtype, query, oper, page, rp,
// sortname, sortorder) answered with { page, total, registros }; an edit is a PUT of the whole
// record to <table>/<id>; errors come back as { type: "error", message } — often with HTTP 200.
import { ErpAuthError, ErpRefused, ErpUnavailable } from "../types.ts";

export interface IxcSettings {
  /** The webservice base, e.g. https://erp.example.com/webservice/v1 */
  url: string;
  /** "id:token" of an IXC user with webservice permissions. */
  token: string;
  /** PEM of an on-premise install's self-signed certificate: trusted for this client only. */
  caCert?: string;
  timeoutMs?: number;
  /** Rows per listing page (IXC's `rp`). */
  pageSize?: number;
  /** The provider's ids an IXC service order (OS) requires: subject, sector and branch. */
  os?: { assunto: string; setor: string; filial: string };
}

export type IxcRecord = Record<string, string>;

export interface IxcListQuery {
  qtype: string;
  query: string;
  oper: "=" | ">" | ">=" | "<" | "<=" | "!=" | "L";
  page?: number;
  rp?: number;
  sortname?: string;
  sortorder?: "asc" | "desc";
}

export class IxcClient {
  #auth: string;
  #client?: Deno.HttpClient;
  constructor(readonly s: IxcSettings) {
    this.#auth = `Basic ${btoa(s.token)}`;
    // Deno cannot skip certificate checks per request; trusting the one certificate given is
    // both possible and safer than turning verification off.
    if (s.caCert) this.#client = Deno.createHttpClient({ caCerts: [s.caCert] });
  }

  /** One page of a listing. */
  async list(table: string, q: IxcListQuery): Promise<{ total: number; rows: IxcRecord[] }> {
    const body = {
      qtype: q.qtype,
      query: q.query,
      oper: q.oper,
      page: String(q.page ?? 1),
      rp: String(q.rp ?? this.s.pageSize ?? 500),
      sortname: q.sortname ?? `${table}.id`,
      sortorder: q.sortorder ?? "asc",
    };
    const res = await this.#call("POST", table, body, { ixcsoft: "listar" });
    const rows = Array.isArray(res.registros) ? res.registros as IxcRecord[] : [];
    return { total: Number(res.total ?? 0) || 0, rows };
  }

  /** Every page of a listing, `onPage` after each. */
  async listAll(
    table: string,
    q: Omit<IxcListQuery, "page">,
    onPage?: (read: number, total: number) => void,
  ): Promise<IxcRecord[]> {
    const out: IxcRecord[] = [];
    for (let page = 1;; page++) {
      const { total, rows } = await this.list(table, { ...q, page });
      out.push(...rows);
      onPage?.(out.length, total);
      if (!rows.length || out.length >= total) return out;
    }
  }

  /** The one record with this id, or null. */
  async get(table: string, id: string): Promise<IxcRecord | null> {
    const { rows } = await this.list(table, { qtype: `${table}.id`, query: id, oper: "=" });
    return rows.find((r) => String(r.id) === id) ?? null;
  }

  /** Edit: IXC wants every field of the record back, not only the changed ones. */
  async put(table: string, id: string, record: IxcRecord): Promise<void> {
    const { id: _drop, ...fields } = record;
    await this.#call("PUT", `${table}/${encodeURIComponent(id)}`, fields);
  }

  /** Insert; answers the new record's id. */
  async post(table: string, record: Record<string, string>): Promise<string> {
    const res = await this.#call("POST", table, record);
    return String(res.id ?? "");
  }

  /** Insert with a file (multipart form, as IXC's `cliente_arquivos` takes it). */
  async postFile(
    table: string,
    fields: Record<string, string>,
    file: { field: string; name: string; type: string; bytes: Uint8Array },
  ): Promise<string> {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    form.set(file.field, new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
    const res = await this.#call("POST", table, form);
    return String(res.id ?? "");
  }

  /** A webservice action answered with JSON (e.g. `get_pix`, `su_oss_chamado_fechar`). */
  async action(name: string, body: Record<string, string>): Promise<Record<string, unknown>> {
    return await this.#call("POST", name, body);
  }

  /**
   * The boleto PDF of one invoice (`get_boleto`, tipo_boleto "arquivo", base64 "S"): IXC
   * answers the PDF as base64 text, not JSON; an unknown invoice gives an empty body. juro,
   * multa and atualiza_boleto go "N": "S" makes IXC recompute and re-register the charge.
   */
  async boletoPdf(invoiceId: string): Promise<Uint8Array | null> {
    const { text } = await this.#send("POST", "get_boleto", {
      boletos: invoiceId,
      juro: "N",
      multa: "N",
      atualiza_boleto: "N",
      tipo_boleto: "arquivo",
      base64: "S",
    });
    const t = text.trim();
    if (!t) return null;
    if (t.startsWith("{")) {
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(t);
      } catch { /* not JSON after all: read as base64 below */ }
      if (json.type === "error") {
        throw new ErpRefused(`IXC: ${String(json.message ?? "").slice(0, 300)}`);
      }
    }
    let bytes: Uint8Array;
    try {
      bytes = Uint8Array.from(
        atob(t.replace(/^"|"$/g, "").replace(/\s+/g, "")),
        (ch) => ch.charCodeAt(0),
      );
    } catch {
      throw new ErpRefused("IXC: o boleto não veio em base64.");
    }
    if (new TextDecoder().decode(bytes.subarray(0, 5)) !== "%PDF-") {
      throw new ErpRefused("IXC: o boleto recebido não é um PDF.");
    }
    return bytes;
  }

  /** Sends one request; auth failures, 5xx and timeouts become the bridge's errors. */
  async #send(
    method: string,
    path: string,
    body: unknown,
    extra: Record<string, string> = {},
  ): Promise<{ res: Response; text: string }> {
    const url = `${this.s.url.replace(/\/+$/, "")}/${path}`;
    const form = body instanceof FormData;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        // A form sets its own multipart Content-Type (with the boundary).
        headers: {
          Authorization: this.#auth,
          ...(form ? {} : { "Content-Type": "application/json" }),
          ...extra,
        },
        body: form ? body : JSON.stringify(body),
        signal: AbortSignal.timeout(this.s.timeoutMs ?? 30_000),
        client: this.#client,
      });
    } catch (e) {
      const why = (e as Error).name === "TimeoutError" ? "não respondeu a tempo" : "fora do ar";
      throw new ErpUnavailable(`IXC ${why} (${method} ${path.split("/")[0]}).`);
    }
    let text: string;
    try {
      text = await res.text();
    } catch {
      throw new ErpUnavailable(`IXC não respondeu a tempo (${method} ${path.split("/")[0]}).`);
    }
    if (res.status === 401 || res.status === 403) {
      throw new ErpAuthError(
        "O IXC recusou o acesso: confira IXC_TOKEN (id:token de um usuário com permissão no " +
          "webservice) e IXC_URL.",
      );
    }
    if (res.status >= 500 || res.status === 429 || res.status === 408) {
      throw new ErpUnavailable(`IXC respondeu HTTP ${res.status} (${path.split("/")[0]}).`);
    }
    return { res, text };
  }

  async #call(
    method: string,
    path: string,
    body: unknown,
    extra: Record<string, string> = {},
  ): Promise<Record<string, unknown>> {
    const { res, text } = await this.#send(method, path, body, extra);
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(text);
    } catch {
      // A login page or a proxy's HTML: not the webservice.
      throw new ErpUnavailable(`IXC respondeu algo que não é JSON (HTTP ${res.status}).`);
    }
    if (json?.type === "error" || res.status >= 400) {
      const msg = String(json?.message ?? `HTTP ${res.status}`).replace(/<[^>]*>/g, "");
      throw new ErpRefused(`IXC: ${msg.slice(0, 300)}`);
    }
    return json;
  }
}

/** "2026-03-15" → "15/03/2026" (the form IXC's date fields take in a PUT). */
export function toIxcDate(iso: string): string {
  const [y, m, d] = iso.split("-");
  return `${d}/${m}/${y}`;
}

/** IXC dates in either form (or empty / "0000-00-00") → "YYYY-MM-DD" or "". */
export function fromIxcDate(raw: string | undefined): string {
  const s = (raw ?? "").trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  if (m && m[1] !== "0000") return `${m[1]}-${m[2]}-${m[3]}`;
  m = /^(\d{2})\/(\d{2})\/(\d{4})/.exec(s);
  if (m && m[3] !== "0000") return `${m[3]}-${m[2]}-${m[1]}`;
  return "";
}
