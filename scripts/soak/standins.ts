// Local stand-ins for the WhatsApp Cloud API and Resend, run inside the soak process. They
// accept every message, remember what each phone or address got (the driver reads links and
// codes from there, as the customer would) and count repeats: the same message id or
// idempotency key twice, or two deliveries for the same purpose (phone + template + its one
// parameter; address + subject).

export interface Received {
  to: string;
  /** WhatsApp template name (without prefix) or "text"; e-mail: the subject. */
  kind: string;
  /** The template's one parameter, or the text / e-mail body. */
  text: string;
  at: number;
}

export class StandIns {
  readonly whatsapp: Received[] = [];
  readonly email: Received[] = [];
  #purposes = new Map<string, number>();
  #emailKeys = new Map<string, number>();
  #servers: Deno.HttpServer[] = [];
  #n = 0;
  whatsappUrl = "";
  resendUrl = "";

  start() {
    const wa = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      (req) => this.#whatsapp(req),
    );
    const rs = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      (req) => this.#resend(req),
    );
    this.#servers.push(wa, rs);
    this.whatsappUrl = `http://127.0.0.1:${wa.addr.port}`;
    this.resendUrl = `http://127.0.0.1:${rs.addr.port}`;
  }

  async stop() {
    await Promise.all(this.#servers.map((s) => s.shutdown()));
  }

  #count(purpose: string) {
    this.#purposes.set(purpose, (this.#purposes.get(purpose) ?? 0) + 1);
  }

  async #whatsapp(req: Request): Promise<Response> {
    // deno-lint-ignore no-explicit-any
    const body = await req.json().catch(() => ({})) as any;
    const to = String(body.to ?? "");
    const kind = body.type === "template"
      ? String(body.template?.name ?? "").replace(/^renova_/, "")
      : "text";
    const text = body.type === "template"
      ? String(body.template?.components?.[0]?.parameters?.[0]?.text ?? "")
      : String(body.text?.body ?? "");
    this.whatsapp.push({ to, kind, text, at: Date.now() });
    this.#count(`wa|${to}|${kind}|${text}`);
    return Response.json({ messages: [{ id: `wamid.soak${++this.#n}` }] });
  }

  async #resend(req: Request): Promise<Response> {
    // deno-lint-ignore no-explicit-any
    const body = await req.json().catch(() => ({})) as any;
    const key = req.headers.get("idempotency-key") ?? "";
    if (key) this.#emailKeys.set(key, (this.#emailKeys.get(key) ?? 0) + 1);
    const to = [body.to].flat().join(",");
    const subject = String(body.subject ?? "");
    this.email.push({
      to,
      kind: subject,
      text: String(body.text ?? body.html ?? ""),
      at: Date.now(),
    });
    this.#count(`mail|${to}|${subject}`);
    return Response.json({ id: `soak-mail-${++this.#n}` });
  }

  /** Deliveries beyond the first, per purpose or per idempotency key. */
  duplicates() {
    let purposes = 0, keys = 0;
    for (const n of this.#purposes.values()) purposes += n - 1;
    for (const n of this.#emailKeys.values()) keys += n - 1;
    return { purposes, keys, total: purposes + keys };
  }

  /** The latest WhatsApp template `kind` sent to `phone` after `since`, if any. */
  lastTo(phone: string, kind: string, since = 0): Received | undefined {
    for (let i = this.whatsapp.length - 1; i >= 0; i--) {
      const m = this.whatsapp[i];
      if (m.to === phone && m.kind === kind && m.at >= since) return m;
    }
    return undefined;
  }
}
