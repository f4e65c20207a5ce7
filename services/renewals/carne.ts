// The carnê (one PDF with every invoice's boleto and PIX). It is rendered after the register
// step commits, not before: rendering takes seconds, and the invoice numbers it prints are
// taken in the step's atomic (numbers.ts), so a render inside a retried step would be redone.
// A crash before it is stored leaves the case without one; the first download renders it.
import type { Db } from "../db.ts";
import { keys } from "../keys.ts";
import { deleteBlob, getBlob, promoteBlob } from "../blobs.ts";
import { NotFoundError } from "../errors.ts";
import { getCustomer } from "../customers.ts";
import { getBillingSettings } from "../billing_settings.ts";
import { storeCarne } from "../invoices.ts";
import type { RenewalCase } from "./cases.ts";

/** Renders and stores the case's carnê once; returns the blob id (an existing one wins). */
export async function ensureCarne(
  db: Db,
  caseId: string,
  provider: { name: string; cnpj: string },
): Promise<string> {
  const first = (await db.kv.get<RenewalCase>(keys.case(caseId))).value;
  if (first?.carneBlobId) return first.carneBlobId;
  if (!first?.invoices?.length) throw new NotFoundError("As faturas ainda não foram emitidas.");
  const customer = await getCustomer(db, first.customerId);
  if (!customer) throw new NotFoundError("Cliente não encontrado.");
  const { settings } = await getBillingSettings(db, provider);
  const blob = await storeCarne(db, settings, customer, first.invoices);
  const blobId = blob.id;
  // Attach without a rev bump (open forms stay valid); retried while the case moves.
  for (let i = 0; i < 20; i++) {
    const e = await db.kv.get<RenewalCase>(keys.case(caseId));
    if (!e.value || e.value.carneBlobId) {
      await deleteBlob(db, blobId); // another request stored one first
      if (e.value?.carneBlobId) return e.value.carneBlobId;
      throw new NotFoundError("Caso não encontrado.");
    }
    // The row stays as stored (sealed fields untouched); the file is promoted with it.
    const op = db.kv.atomic().check(e).set(keys.case(caseId), { ...e.value, carneBlobId: blobId });
    promoteBlob(op, blob);
    const res = await op.commit();
    if (res.ok) return blobId;
  }
  await deleteBlob(db, blobId);
  throw new Error("carnê: the case kept changing");
}

/** The carnê of a case, once its invoices are issued (rendered now if it is missing). */
export async function carneOf(
  db: Db,
  c: RenewalCase,
  provider: { name: string; cnpj: string },
) {
  return await getBlob(db, c.carneBlobId ?? await ensureCarne(db, c.id, provider));
}
