// A client for the PSP's open-standard Pix API (bacen/pix-api): OAuth2 client credentials,
// optional mutual TLS with the provider's certificate, a hard timeout on every call (the
// renewal never waits on the PSP), and only the Pix Automático subset Renova uses.
import type { PixAutoSettings } from "./settings.ts";

/** The PSP failed, timed out or refused: callers fall back to boleto + PIX. */
export class PspError extends Error {
  constructor(readonly status: number, readonly code: string) {
    // No response body in the message: it may echo the payer's data.
    super(`PSP respondeu ${status || "sem resposta"} (${code}).`);
  }
}

export type RecStatus = "CRIADA" | "APROVADA" | "REJEITADA" | "EXPIRADA" | "CANCELADA";

export interface RecBody {
  vinculo: { objeto: string; contrato: string; devedor: { cpf: string; nome: string } };
  calendario: { dataInicial: string; dataFinal?: string; periodicidade: "MENSAL" };
  valor: { valorRec?: string; valorMinimoRecebedor?: string };
  politicaRetentativa: PixAutoSettings["retryPolicy"];
  loc: number;
  ativacao?: { dadosJornada: { txid: string } };
}

export interface Rec {
  idRec: string;
  status: RecStatus;
  loc?: { id: number; location: string };
  dadosQR?: { jornada?: string; pixCopiaECola?: string };
  encerramento?: {
    rejeicao?: { codigo?: string; descricao?: string };
    cancelamento?: { solicitante?: { tipo?: string }; codigo?: string; descricao?: string };
  };
}

/** Status of a monthly charge (cobr) in the open Pix API. */
export type CobrStatus = "CRIADA" | "ATIVA" | "CONCLUIDA" | "EXPIRADA" | "REJEITADA" | "CANCELADA";

export interface CobrBody {
  idRec: string;
  infoAdicional?: string;
  calendario: { dataDeVencimento: string };
  valor: { original: string };
  /** A due date on a non-working day moves to the next working day. */
  ajusteDiaUtil: boolean;
}

export interface Cobr {
  idRec: string;
  txid: string;
  status: CobrStatus;
}

/** Journey 1's request (bacen/pix-api SolicRecSolicitada): the payer's account at their bank. */
export interface SolicRecBody {
  idRec: string;
  calendario: { dataExpiracaoSolicitacao: string };
  destinatario: { cpf: string; agencia?: string; conta: string; ispbParticipante: string };
}

export interface LocRec {
  id: number;
  location: string;
  idRec?: string;
}

export class PspClient {
  #token?: { value: string; until: number };
  #http?: Deno.HttpClient;

  constructor(
    readonly settings: PixAutoSettings,
    private readonly now: () => number = Date.now,
  ) {
    if (settings.mtls) {
      // The provider's certificate goes with every call, token included (BCB rule for PSPs).
      this.#http = Deno.createHttpClient({
        cert: settings.mtls.certPem,
        key: settings.mtls.keyPem,
        caCerts: settings.mtls.caPem ? [settings.mtls.caPem] : undefined,
      });
    }
  }

  close(): void {
    this.#http?.close();
  }

  async #fetch(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, {
        ...init,
        signal: AbortSignal.timeout(this.settings.timeoutMs),
        ...(this.#http ? { client: this.#http } : {}),
      } as RequestInit);
    } catch (e) {
      const timeout = e instanceof DOMException && e.name === "TimeoutError";
      throw new PspError(0, timeout ? "timeout" : "unreachable");
    }
  }

  async #accessToken(): Promise<string> {
    if (this.#token && this.#token.until > this.now()) return this.#token.value;
    const { clientId, clientSecret, tokenUrl } = this.settings;
    const res = await this.#fetch(tokenUrl, {
      method: "POST",
      headers: {
        authorization: `Basic ${btoa(`${clientId}:${clientSecret}`)}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "grant_type=client_credentials",
    });
    if (!res.ok) {
      await res.body?.cancel();
      throw new PspError(res.status, "token");
    }
    const json = await res.json() as { access_token?: string; expires_in?: number };
    if (!json.access_token) throw new PspError(res.status, "token");
    // Renewed a minute early so a call never starts with a token about to lapse.
    const ttl = Math.max(0, (json.expires_in ?? 300) - 60) * 1000;
    this.#token = { value: json.access_token, until: this.now() + ttl };
    return json.access_token;
  }

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const token = await this.#accessToken();
    const res = await this.#fetch(`${this.settings.apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status === 401) this.#token = undefined;
    if (!res.ok) {
      await res.body?.cancel();
      throw new PspError(res.status, `${method} ${path.split("/")[1]}`);
    }
    if (res.status === 204) return undefined as T;
    return await res.json() as T;
  }

  createLocRec(): Promise<LocRec> {
    return this.call("POST", "/locrec");
  }
  getLocRec(id: number): Promise<LocRec> {
    return this.call("GET", `/locrec/${id}`);
  }
  createRec(body: RecBody): Promise<Rec> {
    return this.call("POST", "/rec", body);
  }
  getRec(idRec: string, txid?: string): Promise<Rec> {
    const q = txid ? `?txid=${encodeURIComponent(txid)}` : "";
    return this.call("GET", `/rec/${encodeURIComponent(idRec)}${q}`);
  }
  /** The receiver cancels (the payer cancels in their bank app; we learn it by webhook). */
  cancelRec(idRec: string): Promise<Rec> {
    return this.call("PATCH", `/rec/${encodeURIComponent(idRec)}`, { status: "CANCELADA" });
  }
  /** Journey 1: a request pushed to the payer's bank (by CPF and account, where offered). */
  createSolicRec(body: SolicRecBody): Promise<{ idSolicRec: string; status: string }> {
    return this.call("POST", "/solicrec", body);
  }
  getSolicRec(idSolicRec: string): Promise<{ idSolicRec: string; idRec: string; status: string }> {
    return this.call("GET", `/solicrec/${encodeURIComponent(idSolicRec)}`);
  }
  /** Immediate charge with a txid we choose: PUT is idempotent by the standard. */
  putCob(txid: string, body: unknown): Promise<{ txid: string; status: string }> {
    return this.call("PUT", `/cob/${txid}`, body);
  }
  /** A monthly charge under an approved recurrence; idempotent by txid. */
  putCobr(txid: string, body: CobrBody): Promise<Cobr> {
    return this.call("PUT", `/cobr/${txid}`, body);
  }
  getCobr(txid: string): Promise<Cobr> {
    return this.call("GET", `/cobr/${txid}`);
  }
  putWebhookRec(webhookUrl: string): Promise<void> {
    return this.call("PUT", "/webhookrec", { webhookUrl });
  }
  putWebhookCobr(webhookUrl: string): Promise<void> {
    return this.call("PUT", "/webhookcobr", { webhookUrl });
  }
}
