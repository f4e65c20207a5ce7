// One way every PDF download answers (contract and carnê, for staff and for the customer):
// shown inline with a meaningful name, never stored by a browser or proxy cache (personal data).
import type { Ctx } from "./route.ts";

export function pdfResponse(c: Ctx, data: Uint8Array, filename: string): Response {
  c.header("Content-Type", "application/pdf");
  c.header("Content-Disposition", `inline; filename="${filename}"`);
  c.header("Cache-Control", "no-store, private");
  return c.body(data as Uint8Array<ArrayBuffer>);
}

/** The contract file's name: the sealed signed one, or the one offered for signing. */
export const contractFileName = (signed: boolean) =>
  `contrato-${signed ? "assinado" : "para-assinar"}.pdf`;
