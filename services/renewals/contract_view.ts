// The contract a case offers: the chosen plan, the customer's current data, the provider.
import type { Db } from "../db.ts";
import { NotFoundError } from "../errors.ts";
import { getCustomer } from "../customers.ts";
import { getPlan } from "../plans.ts";
import type { ProviderInfo } from "../contract/terms.ts";
import { sectionsForContract } from "../contract/templates.ts";
import { todayInBrazil } from "../dates.ts";
import type { RenewalCase } from "./cases.ts";

/** The sections to render for a case's contract, from the current template version. */
export async function contractSectionsFor(db: Db, c: RenewalCase, provider: ProviderInfo) {
  const [customer, plan] = await Promise.all([
    getCustomer(db, c.customerId),
    getPlan(db, c.choice?.planId ?? c.currentPlanId),
  ]);
  if (!customer || !plan) throw new NotFoundError("Contrato indisponível.");
  const date = todayInBrazil(db.now());
  const { version, sections } = await sectionsForContract(db, {
    provider,
    customer,
    plan,
    date,
    caseId: c.id,
  });
  return { sections, version: String(version) };
}
