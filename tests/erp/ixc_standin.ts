// A stand-in for IXC Provedor's REST webservice, built from its public documentation:
// - https://api-ixcprovedor.gitbook.io/ixcprovedor-api-documentacao/ (the "Listar" request
//   with the `ixcsoft: listar` header and the qtype/query/oper/page/rp/sortname/sortorder
//   body; "Editar" as a PUT to <table>/<id> where "todos os campos devem ser inseridos";
//   HTTP Basic with the user's token)
// - https://www.ixcsoft.com.br/wiki_api/provedor/cadastro/vd_contratos and
//   .../cliente_contrato_tipo, .../cliente_contrato_produtos_reajuste_valor (field names,
//   status letters A/I/P/N/D, date masks 99/99/9999)
// - IXC's PHP WebserviceClient as published in public repositories (listing = POST with
//   `ixcsoft: listar`; the token passed as user:password of Basic auth; the self-signed option)
// - IXC's Postman collection "API - IXC Provedor" (as transcribed in public repositories):
//   "Arquivos do Contrato (inserir)" = POST cliente_arquivos as a form with descricao,
//   local_arquivo (the file), id_cliente, id_contrato; "OS de Cliente (inserir)" requires
//   id_assunto, setor, id_filial, prioridade, origem_endereco and status (the contract in
//   id_contrato_kit); "Financeiro do cliente" = fn_areceber listed by id_contrato (fields
//   documento, data_vencimento, valor, valor_aberto, linha_digitavel, pix_txid, liberado,
//   status A/R/C); "Segunda via/Download do Boleto" = POST get_boleto { boletos, juro, multa,
//   atualiza_boleto, tipo_boleto: "arquivo", base64: "S" }; "Get Pix" = POST get_pix
//   { id_areceber }
// - IXC's own PHP SDK (github.com/marcosmarcolin/client-api-ixc, Resources.php): FINALIZAR_OS
//   = su_oss_chamado_fechar; public integrations close an OS by POSTing it { id_chamado,
//   status: "F", data_inicio, data_final, mensagem } and note that a PUT of status F on
//   su_oss_chamado is accepted but not kept under a workflow. One of them measured get_boleto
//   answering the PDF as bare base64 text (an unknown invoice: an empty body) and get_pix
//   answering { type, gateway, pix: { dadosPix: { pixCopiaECola }, qrCode: { qrcode } } }
//   (an unknown invoice: HTTP 500)
// Answers: a listing is { page, total, registros } (no `registros` when nothing matches); a
// refusal is { type: "error", message } with HTTP 200; bad credentials are HTTP 401. Records
// keep `ultima_atualizacao` ("YYYY-MM-DD HH:MM:SS"), moved on every insert and edit, and
// store date fields as YYYY-MM-DD whatever form they were sent in. Test knobs: down (503),
// slow answers, failures of the next N requests, a hold after a write is applied (to kill the
// caller mid-request), and counts of every write by table and record.

export type Rec = Record<string, string>;

export interface StandinOptions {
  user?: string;
  token?: string;
  /** First stamp; every write moves the clock one second on. */
  clock?: string;
}

export class IxcStandin {
  tables = new Map<string, Map<string, Rec>>();
  /** Writes applied: "PUT cliente_contrato/7", "POST su_oss_chamado" … */
  writes: string[] = [];
  requests = 0;
  down = false;
  slowMs = 0;
  failNext = 0;
  /** Files sent to cliente_arquivos, by record id. */
  files = new Map<string, Uint8Array>();
  /** Boleto PDFs (get_boleto) and PIX copia-e-cola (get_pix), by fn_areceber id. */
  boletos = new Map<string, Uint8Array>();
  pix = new Map<string, string>();
  /** Hold the answer of the Nth write (1-based) after applying it, until stop(). */
  holdAt = 0;
  held: (() => void)[] = [];
  onHold?: () => void;
  #clock: number;
  #nextId = 1000;
  #server?: Deno.HttpServer;
  readonly auth: string;

  constructor(o: StandinOptions = {}) {
    this.auth = `Basic ${btoa(`${o.user ?? "7"}:${o.token ?? "tok-abc"}`)}`;
    this.#clock = Date.parse(`${(o.clock ?? "2026-11-01 10:00:00").replace(" ", "T")}Z`);
  }

  get url() {
    const addr = this.#server!.addr as Deno.NetAddr;
    return `http://127.0.0.1:${addr.port}/webservice/v1`;
  }

  start(): this {
    this.#server = Deno.serve(
      { port: 0, hostname: "127.0.0.1", onListen: () => {} },
      (req) => this.handle(req),
    );
    return this;
  }

  async stop() {
    for (const h of this.held) h();
    await this.#server?.shutdown();
  }

  /** The next last-change stamp. */
  tick(): string {
    this.#clock += 1000;
    return new Date(this.#clock).toISOString().slice(0, 19).replace("T", " ");
  }

  table(name: string): Map<string, Rec> {
    if (!this.tables.has(name)) this.tables.set(name, new Map());
    return this.tables.get(name)!;
  }

  /** Seeds or edits a record as a person would in IXC's screens (the stamp moves). */
  put(table: string, rec: Rec): Rec {
    const id = rec.id ?? String(this.#nextId++);
    const cur = this.table(table).get(id) ?? {};
    const next = { ...cur, ...normalizeDates(rec), id, ultima_atualizacao: this.tick() };
    this.table(table).set(id, next);
    return next;
  }

  rows(table: string): Rec[] {
    return [...this.table(table).values()];
  }

  writesTo(prefix: string): number {
    // "POST su_oss_chamado" is not "POST su_oss_chamado_fechar/9".
    return this.writes.filter((w) => w === prefix || w.startsWith(`${prefix}/`)).length;
  }

  async handle(req: Request): Promise<Response> {
    this.requests++;
    if (this.slowMs) await new Promise((r) => setTimeout(r, this.slowMs));
    if (this.down) return new Response("Service Unavailable", { status: 503 });
    if (this.failNext > 0) {
      this.failNext--;
      return new Response("<html>Bad Gateway</html>", { status: 502 });
    }
    if (req.headers.get("authorization") !== this.auth) {
      return Response.json({ type: "error", message: "Acesso negado" }, { status: 401 });
    }
    const url = new URL(req.url);
    const m = /^\/webservice\/v1\/([a-z_]+)(?:\/([^/]+))?\/?$/.exec(url.pathname);
    if (!m) return error("Recurso não encontrado");
    const [, table, id] = m;
    let body: Record<string, string>;
    let file: File | undefined;
    try {
      if ((req.headers.get("content-type") ?? "").startsWith("multipart/form-data")) {
        body = {};
        for (const [k, v] of await req.formData()) {
          if (typeof v === "string") body[k] = v;
          else file = v;
        }
      } else body = await req.json();
    } catch {
      return error("Corpo da requisição inválido");
    }
    if (req.method === "POST" && req.headers.get("ixcsoft") === "listar") {
      return this.list(table, body);
    }
    if (req.method === "POST" && table === "get_boleto") return this.getBoleto(body);
    if (req.method === "POST" && table === "get_pix") return this.getPix(body);
    if (req.method === "POST" && table === "su_oss_chamado_fechar") {
      const os = this.table("su_oss_chamado").get(String(body.id_chamado ?? ""));
      if (!os) return error("Ordem de serviço não encontrada!");
      if (body.status !== "F" || !body.data_final) return error("Informe status F e data_final");
      this.put("su_oss_chamado", { id: os.id, status: "F", data_fechamento: body.data_final });
      return await this.written(`POST su_oss_chamado_fechar/${os.id}`, {
        type: "success",
        message: "Ordem de serviço finalizada!",
      });
    }
    if (req.method === "POST" && table === "su_oss_chamado" && !id) {
      const need = ["id_assunto", "setor", "id_filial", "prioridade", "origem_endereco", "status"];
      const missing = need.find((k) => !body[k]);
      if (missing) return error(`Campo ${missing} é obrigatório`);
    }
    if (req.method === "POST" && table === "cliente_arquivos" && !id) {
      if (!file || !body.descricao) return error("Informe descricao e o arquivo (local_arquivo)");
      const rec = this.put(table, {
        ...body,
        id: String(this.#nextId++),
        local_arquivo: file.name,
      });
      this.files.set(rec.id, new Uint8Array(await file.arrayBuffer()));
      return await this.written(`POST ${table}`, {
        type: "success",
        message: "Registro inserido com sucesso!",
        id: rec.id,
      });
    }
    if (req.method === "POST" && !id) {
      const rec = this.put(table, { ...body, id: String(this.#nextId++) });
      return await this.written(`POST ${table}`, {
        type: "success",
        message: "Registro inserido com sucesso!",
        id: rec.id,
      });
    }
    if (req.method === "PUT" && id) {
      const cur = this.table(table).get(decodeURIComponent(id));
      if (!cur) return error("Registro não encontrado!");
      // "Todos os campos devem ser inseridos para realizar uma alteração cadastral."
      const missing = Object.keys(cur).filter((k) =>
        k !== "id" && k !== "ultima_atualizacao" && !(k in body)
      );
      if (missing.length) return error(`Campo ${missing[0]} não informado`);
      this.put(table, { ...body, id: cur.id });
      return await this.written(`PUT ${table}/${cur.id}`, {
        type: "success",
        message: "Registro atualizado com sucesso!",
        id: cur.id,
      });
    }
    return error("Método não suportado");
  }

  async written(what: string, answer: unknown): Promise<Response> {
    this.writes.push(what);
    if (this.holdAt === this.writes.length) {
      this.onHold?.();
      await new Promise<void>((r) => this.held.push(r));
    }
    return Response.json(answer);
  }

  /** get_boleto: the PDF as bare base64 text; an unknown invoice gives an empty body. */
  getBoleto(b: Record<string, string>): Response {
    if (b.tipo_boleto !== "arquivo" || b.base64 !== "S") return error("Parâmetros inválidos");
    const pdf = this.boletos.get(String(b.boletos ?? ""));
    if (!pdf) return new Response("", { headers: { "content-type": "text/html" } });
    let bin = "";
    for (const byte of pdf) bin += String.fromCharCode(byte);
    return new Response(btoa(bin), { headers: { "content-type": "text/html" } });
  }

  getPix(b: Record<string, string>): Response {
    const code = this.pix.get(String(b.id_areceber ?? ""));
    if (!code) return new Response("Internal Server Error", { status: 500 });
    return Response.json({
      type: "success",
      gateway: "standin",
      pix: { dadosPix: { pixCopiaECola: code, status: "ATIVA" }, qrCode: { qrcode: code } },
    });
  }

  list(table: string, b: Record<string, string>): Response {
    const [qt, field] = String(b.qtype ?? "").split(".");
    if (qt !== table || !field) return error("Parâmetro qtype inválido");
    const q = String(b.query ?? "");
    const norm = (v: string) => field.startsWith("data_") ? normalizeDate(v) : v;
    const cmp = (a: string, c: string) => {
      const an = Number(a), cn = Number(c);
      return /^\d+$/.test(a) && /^\d+$/.test(c) ? an - cn : a < c ? -1 : a > c ? 1 : 0;
    };
    const ok: Record<string, (v: string) => boolean> = {
      "=": (v) => v === norm(q),
      "!=": (v) => v !== norm(q),
      ">": (v) => cmp(v, norm(q)) > 0,
      ">=": (v) => cmp(v, norm(q)) >= 0,
      "<": (v) => cmp(v, norm(q)) < 0,
      "<=": (v) => cmp(v, norm(q)) <= 0,
      "L": (v) => v.includes(q),
    };
    const test = ok[String(b.oper ?? "=")];
    if (!test) return error("Operador inválido");
    const [st, sf] = String(b.sortname ?? `${table}.id`).split(".");
    const desc = String(b.sortorder ?? "asc").toLowerCase() === "desc";
    const rows = this.rows(table).filter((r) => test(String(r[field] ?? "")))
      .sort((x, y) => (desc ? -1 : 1) * cmp(String(x[sf ?? st] ?? ""), String(y[sf ?? st] ?? "")));
    const page = Math.max(Number(b.page) || 1, 1), rp = Math.max(Number(b.rp) || 20, 1);
    const slice = rows.slice((page - 1) * rp, page * rp);
    const out: Record<string, unknown> = { page: String(page), total: String(rows.length) };
    if (slice.length) out.registros = slice;
    return Response.json(out);
  }
}

function error(message: string) {
  return Response.json({ type: "error", message });
}

/** "15/03/2026" → "2026-03-15"; anything else as is. */
function normalizeDate(v: string): string {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(v.trim());
  return m ? `${m[3]}-${m[2]}-${m[1]}` : v;
}

function normalizeDates(r: Rec): Rec {
  const out: Rec = {};
  for (const [k, v] of Object.entries(r)) {
    out[k] = k.startsWith("data") ? normalizeDate(String(v ?? "")) : String(v ?? "");
  }
  return out;
}
