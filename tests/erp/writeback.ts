// A renewal on a contract that came from IXC, for the write-back tests: the stand-in holds the
// ERP's copy of the first due contract, a pull reads it, the case is walked to `step`.
import type { Db } from "../../services/db.ts";
import { systemActor } from "../../domain/actor.ts";
import { addDays, todayInBrazil } from "../../services/dates.ts";
import { getContract, listDue } from "../../services/contracts.ts";
import { getCustomer } from "../../services/customers.ts";
import { setPlanErpMapping } from "../../services/plans.ts";
import { pullFromErp } from "../../services/erp/pull.ts";
import { saveErpSwitch } from "../../services/erp/settings.ts";
import { keys } from "../../services/keys.ts";
import type { ErpWrite } from "../../services/erp/queue.ts";
import { caseAt, walkTo } from "../factories.ts";
import { toIxcDate } from "../../services/erp/adapters/ixc_client.ts";
import {
  adapterOf,
  contract,
  customer,
  type IxcStandin,
  plansMapped,
  settingsFor,
} from "./fixtures.ts";

export async function erpRenewal(
  db: Db,
  s: IxcStandin,
  opts: {
    connect?: boolean;
    invoices?: "renova" | "erp";
    /** Where the renewal stops (default: closed). */
    until?: "plan_changed" | "signature_sent" | "registered" | "notified" | "closed";
  } = {},
) {
  const plans = await plansMapped(db);
  await setPlanErpMapping(db, "12", plans[2].id); // the plan caseAt's customer chooses
  if (opts.connect !== false) {
    await saveErpSwitch(db, { ...settingsFor(s), invoices: opts.invoices ?? "renova" });
  }
  const today = todayInBrazil(db.now());
  const due = (await listDue(db, today, addDays(today, 60))).items[0];
  const k = (await getContract(db, due.contractId))!;
  const person = (await getCustomer(db, k.customerId))!;
  s.put("cliente", { ...customer(1, person.cpf), id: person.erpId! });
  s.put("cliente_contrato", {
    ...contract(1, person.erpId!, toIxcDate(k.loyaltyEnd)),
    id: k.erpId!,
    data_renovacao: toIxcDate(k.loyaltyStart),
  });
  await pullFromErp(db, adapterOf(s), { actor: systemActor("teste") });
  const h = await caseAt(db, "contact");
  const c = await walkTo(h, opts.until ?? "closed");
  return { h, c, erpId: k.erpId!, customerErpId: person.erpId!, plans };
}

export async function erpWrites(db: Db): Promise<ErpWrite[]> {
  const out: ErpWrite[] = [];
  for await (const e of db.kv.list<ErpWrite>({ prefix: keys.erpWrites() })) out.push(e.value);
  return out;
}
