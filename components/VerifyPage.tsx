import type { SignedContractRecord, Verification } from "../services/renewals/signing.ts";
import { formatDateTime } from "../domain/format.ts";

/** The public verification page: a record (from the QR) and/or the result of an upload. */
export function VerifyPage(
  { record, result }: { record?: SignedContractRecord | null; result?: Verification },
) {
  return (
    <section class="max-w-xl mx-auto bg-white rounded-lg shadow p-5">
      <h1 class="text-2xl font-bold mb-2">Verificar contrato assinado</h1>
      {record && (
        <div class="mb-4 rounded border border-brand-600 bg-brand-50 p-3" data-testid="record">
          <p>
            Contrato de <strong>{record.maskedName}</strong> (CPF {record.maskedCpf})
          </p>
          <p>Assinado em {formatDateTime(record.signedAt)} (horário de Brasília)</p>
          <p class="text-sm break-all">SHA-256 do arquivo assinado: {record.finalSha256}</p>
          <p class="text-sm break-all">SHA-256 do documento apresentado: {record.documentSha256}</p>
        </div>
      )}
      {result && (
        result.verified
          ? (
            <div
              role="status"
              class="mb-4 rounded border border-green-700 bg-green-50 p-3 text-green-900"
              data-testid="verified"
            >
              <p class="font-bold">
                Verificado: este é um contrato assinado neste sistema e não foi alterado.
              </p>
              <p>
                Titular: {result.record.maskedName} · assinado em{" "}
                {formatDateTime(result.record.signedAt)}
              </p>
              <p>Renovação {result.record.caseId} · selo de {result.signer}</p>
            </div>
          )
          : (
            <div
              role="status"
              class="mb-4 rounded border border-red-700 bg-red-50 p-3 text-red-900"
              data-testid="not-verified"
            >
              <p class="font-bold">Não verificado.</p>
              <p>{result.reason}</p>
            </div>
          )
      )}
      <form method="post" action="/verificar" encType="multipart/form-data">
        <label for="file" class="block mb-1">Envie o PDF do contrato para conferir</label>
        <input
          id="file"
          name="file"
          type="file"
          accept="application/pdf"
          required
          class="block w-full mb-3"
        />
        <button
          type="submit"
          class="rounded bg-brand-600 text-white px-4 py-2 font-medium hover:bg-brand-700"
        >
          Verificar
        </button>
      </form>
    </section>
  );
}
