// The audit vocabulary is one typed union (services/audit.ts): a misspelled action, or data of
// the wrong shape, is a compile error, and the signed contract's evidence labels are keyed by
// the same union. `deno test` type-checks this file: an unused @ts-expect-error fails it.
import assert from "node:assert/strict";
import { addAudit } from "../../services/audit.ts";
import { SYSTEM } from "../../domain/actor.ts";
import { EVIDENCE_LABELS } from "../../services/renewals/signing.ts";
import type { Db } from "../../services/db.ts";

// Never called: only compiled.
function _typos(db: Db, op: Deno.AtomicOperation) {
  // @ts-expect-error "contract.veiwed" is not an audit action.
  addAudit(db, op, "case:x", "contract.veiwed", SYSTEM, { how: "page" });
  // @ts-expect-error contract.viewed records how the contract was opened, not a channel.
  addAudit(db, op, "case:x", "contract.viewed", SYSTEM, { channel: "email" });
  // @ts-expect-error an evidence label for an action that does not exist.
  const _labels: typeof EVIDENCE_LABELS = { "sign.code_acepted": "Código aceito" };
  addAudit(db, op, "case:x", "contract.viewed", SYSTEM, { how: "pdf" });
}

Deno.test("the evidence labels keep the stored action strings and their pt-BR labels", () => {
  // These strings are in existing stores and in signed contracts: they must never change.
  const expected: Record<string, string> = {
    "case.opened": "Renovação aberta",
    "link.sent": "Link pessoal enviado",
    choose_plan: "Plano escolhido com aceite da fidelidade",
    upload_photo: "Foto com documento enviada",
    approve_photo: "Titularidade verificada (foto aprovada)",
    confirm_data: "Contatos confirmados",
    send_signature: "Contrato enviado para assinatura",
    "contract.viewed": "Contrato visualizado",
    "sign.code_sent": "Código de assinatura enviado",
    "sign.code_refused": "Código de assinatura recusado",
    "sign.code_accepted": "Código de assinatura aceito",
    sign: "Contrato assinado",
  };
  assert.deepEqual({ ...EVIDENCE_LABELS }, expected);
});
