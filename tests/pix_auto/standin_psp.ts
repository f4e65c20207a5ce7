// A stand-in PSP: the subset of the open Pix API (bacen/pix-api) that Renova's Pix Automático
// uses, over real HTTP: OAuth2 client credentials, /locrec, /rec, /cob, /cobr, /solicrec,
// /webhookrec, /webhookcobr, and callbacks to the registered webhook. The test drives the
// payer's side (approve, reject, cancel) and faults (down, slow, one failing call).

export type RecStatus = "CRIADA" | "APROVADA" | "REJEITADA" | "EXPIRADA" | "CANCELADA";

const CRC = Array.from({ length: 256 }, (_, n) => {
  let c = n << 8;
  for (let i = 0; i < 8; i++) c = (c & 0x8000 ? (c << 1) ^ 0x1021 : c << 1) & 0xffff;
  return c;
});
function crc(s: string): string {
  let c = 0xffff;
  for (const b of new TextEncoder().encode(s)) c = ((c << 8) ^ CRC[((c >> 8) ^ b) & 0xff]) & 0xffff;
  return c.toString(16).toUpperCase().padStart(4, "0");
}
const f = (id: string, v: string) => id + String(v.length).padStart(2, "0") + v;

/** The PSP's own copia-e-cola, built here independently of services/billing/pix.ts. */
function composite(recUrl: string, cobUrl?: string): string {
  const mai = f("00", "br.gov.bcb.pix") + (cobUrl ? f("25", cobUrl) : "");
  const body = f("00", "01") + (cobUrl ? f("01", "12") : "") + f("26", mai) + f("52", "0000") +
    f("53", "986") + f("58", "BR") + f("59", "PSP RECEBEDOR") + f("60", "SAO PAULO") +
    f("62", f("05", "***")) + f("80", f("00", "br.gov.bcb.pix") + f("25", recUrl)) + "6304";
  return body + crc(body);
}

interface RecState {
  idRec: string;
  status: RecStatus;
  body: Record<string, unknown>;
  loc: number;
  txid?: string;
  cancelledBy?: string;
}

interface SolicRecState {
  idSolicRec: string;
  idRec: string;
  status: "CRIADA" | "ENVIADA" | "RECEBIDA" | "ACEITA" | "REJEITADA" | "EXPIRADA" | "CANCELADA";
  calendario: { dataExpiracaoSolicitacao: string };
  destinatario: Record<string, string>;
}

export interface StandinOptions {
  clientId?: string;
  clientSecret?: string;
  /** Answer GET /rec without dadosQR, so Renova builds the code from the locations. */
  omitCopiaECola?: boolean;
  /** Delivers a callback to Renova (the test posts it in-process with app.request). */
  deliver?: (url: string, body: unknown) => Response | Promise<Response>;
}

export class StandinPsp {
  readonly clientId: string;
  readonly clientSecret: string;
  /** "slow": every call hangs until release() (or the server closes). */
  mode: "up" | "down" | "slow" = "up";
  /** Calls that were answered while slow (none, until release). */
  answeredWhileSlow = 0;
  #release = Promise.withResolvers<void>();
  /** "METHOD /first-segment" → fail that many times with 503. */
  failNext = new Map<string, number>();
  tokensIssued = 0;
  /** "METHOD /first-segment" → do the work, then answer 503 (a reply lost, as in a crash). */
  loseReply = new Map<string, number>();
  /** Refuse every new cobr with 422 (as a PSP refusing the charge). */
  refuseCobr = false;
  calls: string[] = [];
  locs = new Map<number, { id: number; location: string; idRec?: string }>();
  recs = new Map<string, RecState>();
  cobs = new Map<string, Record<string, unknown>>();
  cobrs = new Map<string, Record<string, unknown>>();
  solicrecs = new Map<string, SolicRecState>();
  webhookRec?: string;
  webhookCobr?: string;
  #server: Deno.HttpServer;
  #tokens = new Set<string>();
  #seq = 0;

  constructor(readonly opts: StandinOptions = {}) {
    this.clientId = opts.clientId ?? "renova-client";
    this.clientSecret = opts.clientSecret ?? "s3cret-client";
    this.#server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      (req) => this.#handle(req),
    );
  }

  get url(): string {
    const a = this.#server.addr as Deno.NetAddr;
    return `http://127.0.0.1:${a.port}/api/v2`;
  }

  release(): void {
    this.#release.resolve();
  }

  async close(): Promise<void> {
    this.release();
    await this.#server.shutdown();
  }

  /** The payer acts in the bank app; the PSP then calls Renova back. */
  async payer(idRec: string, status: RecStatus): Promise<Response | undefined> {
    const rec = this.recs.get(idRec)!;
    rec.status = status;
    if (status === "CANCELADA") rec.cancelledBy = "USUARIO_PAGADOR";
    return await this.notify([idRec]);
  }

  /** Journey 1: the payer accepts the request in their bank app; the recurrence is approved
   * and the PSP calls Renova back on the rec webhook. */
  async payerAcceptsRequest(idSolicRec: string): Promise<Response | undefined> {
    const sr = this.solicrecs.get(idSolicRec)!;
    sr.status = "ACEITA";
    return await this.payer(sr.idRec, "APROVADA");
  }

  /** The payer's bank settles (CONCLUIDA) or fails (EXPIRADA…) a charge; the PSP calls back. */
  async settle(txid: string, status: string): Promise<Response | undefined> {
    this.cobrs.get(txid)!.status = status;
    return await this.notifyCobr([txid]);
  }

  /** A webhookcobr callback naming these charges, with whatever status is claimed. */
  async notifyCobr(txids: string[], claimed?: string): Promise<Response | undefined> {
    if (!this.webhookCobr || !this.opts.deliver) return undefined;
    const cobsr = txids.map((txid) => ({
      txid,
      idRec: this.cobrs.get(txid)?.idRec,
      status: claimed ?? this.cobrs.get(txid)?.status,
    }));
    return await this.opts.deliver(this.webhookCobr, { cobsr });
  }

  /** A callback naming these recurrences, with whatever status the PSP holds now. */
  async notify(ids: string[], claimed?: RecStatus): Promise<Response | undefined> {
    if (!this.webhookRec || !this.opts.deliver) return undefined;
    const recs = ids.map((idRec) => ({ idRec, status: claimed ?? this.recs.get(idRec)?.status }));
    return await this.opts.deliver(this.webhookRec, { recs });
  }

  async #handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const path = url.pathname.replace(/^\/api\/v2/, "");
    const seg = path.split("/")[1] ?? "";
    this.calls.push(`${req.method} ${path}`);
    if (this.mode === "down") return new Response("down", { status: 503 });
    if (this.mode === "slow") {
      await this.#release.promise;
      this.answeredWhileSlow++;
    }
    const failKey = `${req.method} /${seg}`;
    const left = this.failNext.get(failKey) ?? 0;
    if (left > 0) {
      this.failNext.set(failKey, left - 1);
      return new Response("fault", { status: 503 });
    }
    if (path === "/oauth/token") return this.#token(req, await req.text());
    const lose = this.loseReply.get(failKey) ?? 0;
    if (lose > 0) {
      this.loseReply.set(failKey, lose - 1);
      await (await this.#authorized(req, path, seg)).body?.cancel();
      return new Response("lost", { status: 503 });
    }
    return await this.#authorized(req, path, seg);
  }

  async #authorized(req: Request, path: string, seg: string): Promise<Response> {
    const auth = req.headers.get("authorization") ?? "";
    if (!auth.startsWith("Bearer ") || !this.#tokens.has(auth.slice(7))) {
      return Response.json({ title: "Não autorizado" }, { status: 401 });
    }
    const body = req.method === "GET" ? undefined : await req.json().catch(() => undefined);
    const parts = path.split("/").filter(Boolean);
    if (seg === "locrec" && req.method === "POST") {
      const id = ++this.#seq;
      const loc = {
        id,
        location: `psp.example.com/rec/${crypto.randomUUID().replaceAll("-", "")}`,
      };
      this.locs.set(id, loc);
      return Response.json({ ...loc, criacao: new Date().toISOString() }, { status: 201 });
    }
    if (seg === "locrec" && req.method === "GET") {
      const loc = this.locs.get(Number(parts[1]));
      return loc ? Response.json(loc) : Response.json({}, { status: 404 });
    }
    if (seg === "rec" && req.method === "POST") return this.#createRec(body);
    if (seg === "rec" && parts[1]) {
      const rec = this.recs.get(decodeURIComponent(parts[1]));
      if (!rec) return Response.json({ title: "Recorrência não encontrada" }, { status: 404 });
      if (req.method === "PATCH" && body?.status === "CANCELADA") {
        rec.status = "CANCELADA";
        rec.cancelledBy = "USUARIO_RECEBEDOR";
      }
      return Response.json(this.#recView(rec));
    }
    if (seg === "cob" && req.method === "PUT") {
      const txid = parts[1];
      if (!/^[a-zA-Z0-9]{26,35}$/.test(txid)) return Response.json({}, { status: 400 });
      const cob = { ...body, txid, status: "ATIVA", location: `psp.example.com/cob/${txid}` };
      this.cobs.set(txid, cob);
      return Response.json(cob, { status: 201 });
    }
    if (seg === "cobr" && req.method === "PUT") {
      const txid = parts[1];
      if (!/^[a-zA-Z0-9]{26,35}$/.test(txid)) return Response.json({}, { status: 400 });
      // Idempotent by txid: a repeated PUT returns the charge it already holds.
      const held = this.cobrs.get(txid);
      if (held) return Response.json(held, { status: 200 });
      const rec = this.recs.get(body?.idRec);
      if (!rec || rec.status !== "APROVADA" || this.refuseCobr) {
        return Response.json({ title: "Cobrança recusada" }, { status: 422 });
      }
      this.cobrs.set(txid, { ...body, txid, status: "ATIVA" });
      return Response.json(this.cobrs.get(txid), { status: 201 });
    }
    if (seg === "cobr" && req.method === "GET") {
      const cobr = this.cobrs.get(parts[1] ?? "");
      return cobr ? Response.json(cobr) : Response.json({}, { status: 404 });
    }
    if (seg === "solicrec" && req.method === "POST") return this.#createSolicRec(body);
    if (seg === "solicrec" && req.method === "GET" && parts[1]) {
      const sr = this.solicrecs.get(decodeURIComponent(parts[1]));
      return sr ? Response.json(sr) : Response.json({ title: "Não encontrada" }, { status: 404 });
    }
    if (seg === "webhookrec" && req.method === "PUT") {
      this.webhookRec = body?.webhookUrl;
      return new Response(null, { status: 204 });
    }
    if (seg === "webhookcobr" && req.method === "PUT") {
      this.webhookCobr = body?.webhookUrl;
      return new Response(null, { status: 204 });
    }
    return Response.json({ title: "Não encontrado" }, { status: 404 });
  }

  #token(req: Request, form: string): Response {
    const expected = `Basic ${btoa(`${this.clientId}:${this.clientSecret}`)}`;
    if (req.headers.get("authorization") !== expected || form !== "grant_type=client_credentials") {
      return Response.json({ error: "invalid_client" }, { status: 401 });
    }
    const token = crypto.randomUUID();
    this.#tokens.add(token);
    this.tokensIssued++;
    return Response.json({ access_token: token, token_type: "Bearer", expires_in: 3600 });
  }

  #createRec(body: Record<string, unknown> | undefined): Response {
    const loc = this.locs.get(Number(body?.loc));
    if (!body || !loc) return Response.json({ title: "loc inválido" }, { status: 400 });
    if (loc.idRec) return Response.json({ title: "loc já vinculado" }, { status: 409 });
    const idRec = `RR12345678${new Date().toISOString().slice(0, 10).replaceAll("-", "")}` +
      `${String(++this.#seq).padStart(11, "0")}`;
    const txid = (body.ativacao as { dadosJornada?: { txid?: string } } | undefined)
      ?.dadosJornada?.txid;
    const rec: RecState = { idRec, status: "CRIADA", body, loc: loc.id, txid };
    this.recs.set(idRec, rec);
    loc.idRec = idRec;
    return Response.json(this.#recView(rec), { status: 201 });
  }

  /** POST /solicrec, checked as the OpenAPI's SolicRecSolicitada (SolicRecOperacaoInvalida). */
  #createSolicRec(body: Record<string, unknown> | undefined): Response {
    const bad = (detail: string) =>
      Response.json({ title: "Solicitação inválida", detail }, { status: 400 });
    const rec = this.recs.get(String(body?.idRec ?? ""));
    if (!rec) return Response.json({ title: "Recorrência não encontrada" }, { status: 404 });
    const cal = body?.calendario as { dataExpiracaoSolicitacao?: unknown } | undefined;
    const exp = typeof cal?.dataExpiracaoSolicitacao === "string"
      ? Date.parse(cal.dataExpiracaoSolicitacao)
      : NaN;
    if (!Number.isFinite(exp)) return bad("calendario.dataExpiracaoSolicitacao");
    const d = body?.destinatario as Record<string, unknown> | undefined;
    if (!d || typeof d !== "object") return bad("destinatario");
    const str = (k: string) => typeof d[k] === "string" ? d[k] as string : undefined;
    const cpf = str("cpf"), cnpj = str("cnpj");
    if (!!cpf === !!cnpj) return bad("destinatario.cpf|cnpj");
    if (cpf && !/^\d{11}$/.test(cpf)) return bad("destinatario.cpf");
    if (cnpj && !/^\d{14}$/.test(cnpj)) return bad("destinatario.cnpj");
    if (!/^\d{8}$/.test(str("ispbParticipante") ?? "")) return bad("destinatario.ispbParticipante");
    if (!/^\d{1,20}$/.test(str("conta") ?? "")) return bad("destinatario.conta");
    if (d.agencia !== undefined && !/^\d{1,4}$/.test(str("agencia") ?? "")) {
      return bad("destinatario.agencia");
    }
    const allowed = new Set(["cpf", "cnpj", "agencia", "conta", "ispbParticipante"]);
    if (Object.keys(d).some((k) => !allowed.has(k))) return bad("destinatario");
    // The standard: one active request per recurrence.
    const active = [...this.solicrecs.values()].some((s) =>
      s.idRec === rec.idRec && ["CRIADA", "ENVIADA", "RECEBIDA"].includes(s.status)
    );
    if (active) return bad("Existe uma solicitação ativa referente ao mesmo idRec.");
    const idSolicRec = `SC12345678${String(++this.#seq).padStart(19, "0")}`;
    const sr: SolicRecState = {
      idSolicRec,
      idRec: rec.idRec,
      status: "CRIADA",
      calendario: { dataExpiracaoSolicitacao: cal!.dataExpiracaoSolicitacao as string },
      destinatario: d as Record<string, string>,
    };
    this.solicrecs.set(idSolicRec, sr);
    return Response.json(sr, { status: 201 });
  }

  #recView(rec: RecState) {
    const loc = this.locs.get(rec.loc)!;
    const cobUrl = rec.txid ? (this.cobs.get(rec.txid)?.location as string) : undefined;
    return {
      idRec: rec.idRec,
      status: rec.status,
      ...rec.body,
      loc: { id: loc.id, location: loc.location },
      ...(this.opts.omitCopiaECola ? {} : {
        dadosQR: {
          jornada: rec.txid ? "JORNADA_3" : "JORNADA_2",
          pixCopiaECola: composite(loc.location, cobUrl),
        },
      }),
      ...(rec.cancelledBy
        ? { encerramento: { cancelamento: { solicitante: { tipo: rec.cancelledBy } } } }
        : {}),
    };
  }
}
