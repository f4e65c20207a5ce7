// Applies a renewed plan's speed to the customer's live session, the way carrier networks do:
// a CoA with the plan's rates to the NAS that holds the session; if the NAS refuses or stays
// silent, a Disconnect-Request when its profile allows (the session comes back with the new
// profile); else the customer gets the router instructions. Bounded: a renewal never waits more
// than a few seconds on a NAS. Changing a rate twice is harmless, so a retry after a crash is too.
import type { Db } from "../db.ts";
import type { Contract } from "../contracts.ts";
import type { Plan } from "../plans.ts";
import { sendCoa } from "./coa_client.ts";
import { keys } from "../keys.ts";
import type { ErpLoginRow } from "../erp/types.ts";
import { listNas, nasForCity, nasSecret } from "./nas.ts";
import { rateAttributes, sessionAttributes } from "./profiles.ts";

export type SpeedOutcome =
  /** The NAS changed the live session's rate: nothing for the customer to do. */
  | { outcome: "coa_ack"; nas: string; ms: number }
  /** The session was dropped and comes back with the new plan within seconds. */
  | { outcome: "disconnect_ack"; nas: string; reason: string; ms: number }
  /** The customer restarts the router (no NAS, no login, refused or unanswered). */
  | { outcome: "manual"; nas?: string; reason: string; ms?: number };

/** Whether the customer still has to restart the router. */
export const needsRouterRestart = (o: SpeedOutcome | undefined) => !o || o.outcome === "manual";

/** Budget per NAS exchange: 2 tries of 1.2 s (a CoA), then 1 try (a Disconnect). */
const COA = { timeoutMs: 1200, tries: 2 };
const DISCONNECT = { timeoutMs: 1200, tries: 1 };

export async function applyNewSpeed(db: Db, contract: Contract, plan: Plan): Promise<SpeedOutcome> {
  const all = await listNas(db);
  if (!all.length) return { outcome: "manual", reason: "nenhum NAS cadastrado" };
  const login = await accessLoginOf(db, contract);
  if (!login) return { outcome: "manual", reason: "contrato sem login de acesso" };
  const nas = nasForCity(all, contract.city);
  if (!nas) return { outcome: "manual", reason: `nenhum NAS atende ${contract.city}` };
  const secret = await nasSecret(db, nas);
  if (!secret) {
    return { outcome: "manual", nas: nas.name, reason: "segredo do NAS não configurado" };
  }
  const target = { host: nas.host, port: nas.port, secret };
  const session = sessionAttributes({ userName: login });
  let rate;
  try {
    rate = rateAttributes(nas.vendor, plan, nas.options);
  } catch (e) {
    return { outcome: "manual", nas: nas.name, reason: (e as Error).message };
  }
  const coa = await sendCoa(target, [...session, ...rate], COA).catch((e) => ({
    kind: "error" as const,
    message: (e as Error).message,
  }));
  if (coa.kind === "ack") return { outcome: "coa_ack", nas: nas.name, ms: coa.ms };
  const why = coa.kind === "nak"
    ? `CoA recusado: ${coa.reason}`
    : coa.kind === "timeout"
    ? "o NAS não respondeu ao CoA"
    : coa.kind === "bad_authenticator"
    ? "resposta do NAS com autenticador inválido (segredo?)"
    : "falha de rede ao falar com o NAS";
  if (!nas.options.allowDisconnect) return { outcome: "manual", nas: nas.name, reason: why };
  const dc = await sendCoa(target, session, { ...DISCONNECT, disconnect: true }).catch(() => null);
  if (dc?.kind === "ack") {
    return { outcome: "disconnect_ack", nas: nas.name, reason: why, ms: dc.ms };
  }
  return {
    outcome: "manual",
    nas: nas.name,
    reason: `${why}; desconexão ${dc?.kind === "nak" ? `recusada: ${dc.reason}` : "sem resposta"}`,
  };
}

/** The access login: the contract's own, else the ERP's (IXC radusuarios, services/erp/pull.ts). */
async function accessLoginOf(db: Db, contract: Contract): Promise<string | undefined> {
  if (contract.accessLogin) return contract.accessLogin;
  if (!contract.erpId) return undefined;
  const row = (await db.kv.get<ErpLoginRow>(keys.erpLogin(contract.erpId))).value;
  return row?.active ? row.login : undefined;
}
