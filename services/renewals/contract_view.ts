// The contract a case offers: the chosen plan, the customer's current data, the provider.
import type { Db } from "../db.ts";
import { NotFoundError } from "../errors.ts";
import { getCustomer } from "../customers.ts";
import { getPlan } from "../plans.ts";
import { contractHash, contractSections, type ProviderInfo } from "../contract/terms.ts";
import { todayInBrazil } from "../dates.ts";
import type { RenewalCase } from "./cases.ts";

export async function contractForCase(db: Db, c: RenewalCase, provider: ProviderInfo) {
  const [customer, plan] = await Promise.all([
    getCustomer(db, c.customerId),
    getPlan(db, c.choice?.planId ?? c.currentPlanId),
  ]);
  if (!customer || !plan) throw new NotFoundError("Contrato indisponível.");
  // The contract is dated the day the signing link went out, so its text is stable.
  const date = todayInBrazil(
    new Date(c.signature?.at ?? c.planChange?.at ?? db.now().toISOString()),
  );
  const sections = contractSections({ provider, customer, plan, date, caseId: c.id });
  return { customer, plan, sections, hash: await contractHash(sections) };
}
