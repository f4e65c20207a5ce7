// IXC Provedor adapter: reads cliente, cliente_contrato, vd_contratos and radusuarios changed
// since the last pull (by `ultima_atualizacao`), and writes a renewal back — the contract's
// plan and dates (PUT of the whole cliente_contrato), the ticket (su_oss_chamado, with Renova's
// protocol), the signed PDF (cliente_arquivos) and the invoices (fn_areceber). Every write
// reads the ERP's current record first: already there → nothing is sent again.
import type {
  ErpAdapter,
  ErpApplyInput,
  ErpApplyResult,
  ErpChanges,
  ErpContractRow,
  ErpInvoice,
} from "../types.ts";
import { ErpNotYet, ErpRefused } from "../types.ts";
import {
  fromIxcDate,
  IxcClient,
  type IxcRecord,
  type IxcSettings,
  toIxcDate,
} from "./ixc_client.ts";
import { addMonths } from "../../dates.ts";

const TABLES = ["cliente", "cliente_contrato", "vd_contratos", "radusuarios"] as const;

export function ixcAdapter(settings: IxcSettings): ErpAdapter {
  const ixc = new IxcClient(settings);

  /** Rows of `table` changed since `since` (all of them without a stamp). */
  const changed = (
    table: string,
    since: string | undefined,
    onPage?: (n: number, t: number) => void,
  ) =>
    ixc.listAll(
      table,
      since
        ? {
          qtype: `${table}.ultima_atualizacao`,
          query: since,
          oper: ">=",
          sortname: `${table}.id`,
        }
        : { qtype: `${table}.id`, query: "0", oper: ">" },
      onPage,
    );

  const places = new Map<string, string>();
  /** IXC keeps city and state as ids of its `cidade` and `uf` tables. */
  const placeName = async (table: "cidade" | "uf", id: string, field: string) => {
    if (!/^\d+$/.test(id)) return id; // already a name
    const k = `${table}:${id}`;
    if (!places.has(k)) places.set(k, (await ixc.get(table, id))?.[field] ?? "");
    return places.get(k)!;
  };

  return {
    name: "ixc",

    async changes(since, onProgress): Promise<ErpChanges> {
      const out: ErpChanges = { contracts: [], plans: [], logins: [], refused: [], since: {} };
      const read: Record<string, IxcRecord[]> = {};
      for (const t of TABLES) {
        read[t] = await changed(t, since[t], (n, total) => onProgress?.(t, n, total));
        out.since[t] = newest(read[t], since[t]);
      }
      // A changed customer changes the rows of all its contracts; a changed contract needs
      // its customer: fetch what the listings above did not bring.
      const customers = new Map(read.cliente.map((r) => [String(r.id), r]));
      const contracts = new Map(read.cliente_contrato.map((r) => [String(r.id), r]));
      if (since.cliente_contrato) {
        for (const cid of customers.keys()) {
          const of = await ixc.listAll("cliente_contrato", {
            qtype: "cliente_contrato.id_cliente",
            query: cid,
            oper: "=",
          });
          for (const c of of) if (!contracts.has(String(c.id))) contracts.set(String(c.id), c);
        }
      }
      for (const c of contracts.values()) {
        const cid = String(c.id_cliente ?? "");
        if (cid && !customers.has(cid)) {
          const got = await ixc.get("cliente", cid);
          if (got) customers.set(cid, got);
        }
      }
      for (const c of contracts.values()) {
        const cust = customers.get(String(c.id_cliente ?? ""));
        if (!cust) {
          out.refused.push({
            table: "cliente_contrato",
            erpId: String(c.id ?? "?"),
            reason: `Cliente ${c.id_cliente || "(vazio)"} do contrato não existe no IXC.`,
          });
          continue;
        }
        out.contracts.push(await contractRow(c, cust, placeName));
      }
      for (const p of read.vd_contratos) {
        const price = Math.round(Number(p.valor_contrato ?? p.valor ?? "") * 100);
        out.plans.push({
          erpId: String(p.id),
          name: String(p.nome ?? ""),
          priceCents: Number.isFinite(price) && price > 0 ? price : undefined,
          stamp: String(p.ultima_atualizacao ?? ""),
        });
      }
      for (const l of read.radusuarios) {
        out.logins.push({
          erpId: String(l.id),
          contractErpId: String(l.id_contrato ?? ""),
          login: String(l.login ?? ""),
          active: l.ativo !== "N",
          stamp: String(l.ultima_atualizacao ?? ""),
        });
      }
      return out;
    },

    async apply(input: ErpApplyInput): Promise<ErpApplyResult> {
      const p = input.payload;
      switch (input.kind) {
        case "contract_plan":
        case "contract_plan_undo":
        case "contract_renewal": {
          const rec = await ixc.get("cliente_contrato", p.contractErpId);
          if (!rec) throw new ErpRefused(`Contrato ${p.contractErpId} não existe no IXC.`);
          const target: IxcRecord = {};
          if (p.erpPlanId) target.id_vd_contrato = p.erpPlanId;
          if (input.kind === "contract_renewal") {
            target.data_renovacao = toIxcDate(p.loyaltyStart!);
            target.data_expiracao = toIxcDate(p.loyaltyEnd!);
            if (p.loyaltyMonths) target.fidelidade = String(p.loyaltyMonths);
          }
          const stamp = String(rec.ultima_atualizacao ?? "");
          if (sameFields(rec, target)) return { outcome: "already", stamp };
          // Changed in the ERP after Renova read it, and not by Renova's own last write.
          if (input.baseStamp && stamp > input.baseStamp && stamp !== input.ownStamp) {
            return {
              outcome: "conflict",
              stamp,
              reason: `O contrato ${p.contractErpId} foi alterado no IXC em ${stamp}, depois ` +
                `da leitura do Renova (${input.baseStamp}).`,
            };
          }
          await ixc.put("cliente_contrato", p.contractErpId, { ...rec, ...target });
          const after = await ixc.get("cliente_contrato", p.contractErpId);
          // What the write replaced: a cancelled renewal puts it back (contract_plan_undo).
          const prior = Object.fromEntries(Object.keys(target).map((k) => [k, rec[k] ?? ""]));
          return { outcome: "done", stamp: String(after?.ultima_atualizacao ?? ""), prior };
        }
        case "ticket_open": {
          if (await ticketOf(ixc, p.protocol!)) return { outcome: "already" };
          const os = settings.os;
          // IXC's "OS de Cliente (inserir)" requires these; they are the provider's own ids.
          if (!os?.assunto || !os.setor || !os.filial) {
            throw new ErpRefused(
              "Para abrir o atendimento no IXC informe IXC_OS_ASSUNTO, IXC_OS_SETOR e " +
                "IXC_OS_FILIAL (ids do assunto, do setor e da filial no IXC).",
            );
          }
          await ixc.post("su_oss_chamado", {
            tipo: "C",
            id_cliente: p.customerErpId ?? "",
            id_contrato_kit: p.contractErpId,
            id_assunto: os.assunto,
            setor: os.setor,
            id_filial: os.filial,
            protocolo: p.protocol!,
            mensagem: p.subject ?? "Renovação de contrato (Renova)",
            prioridade: "N",
            status: "A",
            origem_endereco: "C",
          });
          return { outcome: "done" };
        }
        case "ticket_close": {
          const t = await ticketOf(ixc, p.protocol!);
          if (!t) throw new ErpRefused(`Atendimento ${p.protocol} não encontrado no IXC.`);
          if (t.status === "F") return { outcome: "already" };
          // Closing is IXC's own action (su_oss_chamado_fechar): a PUT of status F is accepted
          // but not kept where the OS runs under a workflow.
          const at = ixcDateTime(input.now ?? new Date());
          await ixc.action("su_oss_chamado_fechar", {
            id_chamado: String(t.id),
            status: "F",
            data_inicio: at,
            data_final: at,
            mensagem: `Renovação concluída no Renova (protocolo ${p.protocol}).`,
          });
          return { outcome: "done" };
        }
        case "contract_pdf": {
          const descricao = `Renova: contrato assinado ${p.protocol ?? ""} (SHA-256 ${p.sha256})`;
          const found = await ixc.listAll("cliente_arquivos", {
            qtype: "cliente_arquivos.id_contrato",
            query: p.contractErpId,
            oper: "=",
          });
          if (found.some((r) => r.descricao === descricao)) return { outcome: "already" };
          const bytes = await input.readFile(p.blobId!);
          // A multipart form with the file in `local_arquivo` (IXC's "Arquivos do Contrato").
          await ixc.postFile("cliente_arquivos", {
            id_cliente: p.customerErpId ?? "",
            id_contrato: p.contractErpId,
            descricao,
          }, {
            field: "local_arquivo",
            name: `contrato-${p.protocol ?? p.contractErpId}.pdf`,
            type: "application/pdf",
            bytes,
          });
          return { outcome: "done" };
        }
        case "invoices": {
          const have = await ixc.listAll("fn_areceber", {
            qtype: "fn_areceber.id_contrato",
            query: p.contractErpId,
            oper: "=",
          });
          if (p.invoiceMode === "erp") return await erpInvoices(ixc, have, p.loyaltyStart ?? "");
          const docs = new Set(have.map((r) => String(r.documento ?? "")));
          let sent = 0;
          for (const inv of p.invoices ?? []) {
            const documento = inv.nossoNumero || `RNV-${p.protocol}-${inv.seq}`;
            if (docs.has(documento)) continue;
            await ixc.post("fn_areceber", {
              id_cliente: p.customerErpId ?? "",
              id_contrato: p.contractErpId,
              documento,
              data_vencimento: toIxcDate(inv.dueDate),
              valor: (inv.amountCents / 100).toFixed(2),
              status: "A",
              obs: `Renova: renovação ${p.protocol ?? ""}, parcela ${inv.seq}`,
            });
            sent++;
          }
          return sent ? { outcome: "done", note: `${sent} fatura(s)` } : { outcome: "already" };
        }
      }
    },
  };
}

/** Open invoices of the new term as IXC issued them, with PIX and the boleto PDF. */
async function erpInvoices(
  ixc: IxcClient,
  rows: IxcRecord[],
  from: string,
): Promise<ErpApplyResult> {
  const open = rows
    .filter((r) => r.status === "A" && r.liberado !== "N" && fromIxcDate(r.data_vencimento) >= from)
    .sort((a, b) => fromIxcDate(a.data_vencimento).localeCompare(fromIxcDate(b.data_vencimento)))
    .slice(0, 24);
  if (!open.length) throw new ErpNotYet("O IXC ainda não emitiu as faturas deste contrato.");
  const invoices: ErpInvoice[] = [];
  for (const r of open) {
    const id = String(r.id);
    let pix: string | undefined;
    if (r.pix_txid) {
      // Only where IXC registered a PIX charge: asking for one on another invoice may create it.
      const got = await ixc.action("get_pix", { id_areceber: id }).catch((e) => {
        if (e instanceof ErpRefused) return null; // no PIX for this one: the boleto stands
        throw e;
      });
      const dados = (got?.pix as { dadosPix?: { pixCopiaECola?: string } } | undefined)?.dadosPix;
      pix = dados?.pixCopiaECola || undefined;
    }
    invoices.push({
      erpId: id,
      dueDate: fromIxcDate(r.data_vencimento),
      amountCents: Math.round(Number(r.valor_aberto || r.valor || "0") * 100),
      documento: r.documento || undefined,
      linha: r.linha_digitavel || undefined,
      pix,
      pdf: (await ixc.boletoPdf(id)) ?? undefined,
    });
  }
  return { outcome: "done", note: `${invoices.length} fatura(s) do IXC recebidas.`, invoices };
}

/** "YYYY-MM-DD HH:MM:SS" in Brazil's time (UTC−3), as IXC's datetime fields take it. */
function ixcDateTime(d: Date): string {
  return new Date(d.getTime() - 3 * 3600_000).toISOString().slice(0, 19).replace("T", " ");
}

async function ticketOf(ixc: IxcClient, protocol: string): Promise<IxcRecord | null> {
  const { rows } = await ixc.list("su_oss_chamado", {
    qtype: "su_oss_chamado.protocolo",
    query: protocol,
    oper: "=",
  });
  return rows.find((r) => r.protocolo === protocol) ?? null;
}

/** Every target field already holds that value (dates compared in either IXC form). */
function sameFields(rec: IxcRecord, target: IxcRecord): boolean {
  return Object.entries(target).every(([k, v]) => {
    const cur = String(rec[k] ?? "");
    if (k.startsWith("data_")) return fromIxcDate(cur) === fromIxcDate(v);
    return cur === v;
  });
}

function newest(rows: IxcRecord[], prev: string | undefined): string {
  let max = prev ?? "";
  for (const r of rows) {
    const s = String(r.ultima_atualizacao ?? "");
    if (s > max) max = s;
  }
  return max;
}

/** cliente + cliente_contrato → the import's fields; dates normalized to YYYY-MM-DD. */
async function contractRow(
  c: IxcRecord,
  cust: IxcRecord,
  place: (t: "cidade" | "uf", id: string, f: string) => Promise<string>,
): Promise<ErpContractRow> {
  const s = (v: unknown) => String(v ?? "").trim();
  const start = fromIxcDate(c.data_ativacao) || fromIxcDate(c.data);
  const loyaltyStart = fromIxcDate(c.data_renovacao) || start;
  let loyaltyEnd = fromIxcDate(c.data_expiracao);
  const months = Number(c.fidelidade);
  // Without an expiry date IXC still knows the loyalty term in months.
  if (!loyaltyEnd && loyaltyStart && Number.isInteger(months) && months > 0) {
    loyaltyEnd = addMonths(loyaltyStart, months);
  }
  const cityId = s(c.cidade) && c.endereco_padrao_cliente === "N" ? s(c.cidade) : s(cust.cidade);
  return {
    customerErpId: s(cust.id),
    contractErpId: s(c.id),
    name: s(cust.razao),
    document: s(cust.cnpj_cpf),
    mobile: s(cust.telefone_celular) || s(cust.whatsapp),
    phone: s(cust.fone),
    email: s(cust.email),
    street: s(cust.endereco),
    number: s(cust.numero),
    district: s(cust.bairro),
    city: await place("cidade", cityId, "nome"),
    state: await place("uf", s(cust.uf), "sigla"),
    zip: s(cust.cep),
    plan: s(c.id_vd_contrato),
    startDate: start,
    loyaltyStart,
    loyaltyEnd,
    status: s(c.status),
    stamp: s(c.ultima_atualizacao),
  };
}
