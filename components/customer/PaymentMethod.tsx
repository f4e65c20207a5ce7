// The payment method in the renewal: Pix Automático (recommended) or boleto + PIX, with the
// recurrence terms; once chosen, the authorization QR and copia-e-cola, then its status.
import bwipjs from "bwip-js";
import type { PaymentView } from "../../services/pix_auto/payment.ts";
import { formatDate, formatMoney } from "../../domain/format.ts";
import { Card, primaryBtn, secondaryBtn } from "./Shell.tsx";
import { newSubmissionId } from "../../services/submissions.ts";
import { BankRequestForm } from "./BankRequest.tsx";

/** The BR Code as an inline SVG QR (server-side: nothing to load, works without JS). */
function Qr({ payload }: { payload: string }) {
  const svg = bwipjs.toSVG({ bcid: "qrcode", text: payload, scale: 3, eclevel: "M" } as never);
  return (
    <div
      class="w-56 h-56 mx-auto my-3"
      data-testid="pix-auto-qr"
      role="img"
      aria-label="QR Code do Pix Automático"
      // deno-lint-ignore react-no-danger
      dangerouslySetInnerHTML={{ __html: svg }}
    />
  );
}

const STATUS_TEXT: Record<string, string> = {
  approved: "Pix Automático autorizado. Suas mensalidades serão debitadas pelo seu banco.",
  creating: "Estamos preparando a autorização do Pix Automático.",
};

export function PaymentMethod(
  { pay, base, errors, values }: {
    pay: PaymentView;
    base: string;
    /** A refused journey-1 form: its errors and what was typed (never the account kept). */
    errors?: Record<string, string>;
    values?: Record<string, string>;
  },
) {
  if (!pay.offered || !pay.open) return null;
  const { choice, pixAuto: rec, terms } = pay;
  // Offered again after an outage or an authorization that expired unapproved.
  const again = rec?.status === "unavailable" || rec?.status === "expired";
  if (!choice || (choice.method === "pix_auto" && again)) {
    return (
      <Card>
        <h2 class="text-xl font-bold mb-2">Como você prefere pagar as mensalidades?</h2>
        {rec?.status === "unavailable" && (
          <p class="mb-2 text-amber-800" role="status" data-testid="pix-auto-unavailable">
            O Pix Automático não respondeu agora. Suas faturas seguem por boleto + PIX; você pode
            tentar de novo.
          </p>
        )}
        {rec?.status === "expired" && (
          <p class="mb-2 text-amber-800" role="status" data-testid="pix-auto-expired">
            O prazo para autorizar o Pix Automático acabou. Suas faturas seguem por boleto + PIX;
            você pode autorizar de novo.
          </p>
        )}
        <form method="post" action={`${base}/payment_method`}>
          <input type="hidden" name="_sub" value={newSubmissionId()} />
          <label class="block border rounded p-3 mb-2">
            <input type="radio" name="method" value="pix_auto" checked />{" "}
            <strong>
              Pix Automático (recomendado)
            </strong>
            {terms && (
              <ul class="text-sm mt-1 list-disc pl-5" data-testid="pix-auto-terms">
                <li>Valor: {formatMoney(terms.amountCents)} por mês (valor máximo)</li>
                <li>Todo dia {terms.dueDay}, a partir de {formatDate(terms.start)}</li>
                <li>
                  {terms.end
                    ? `Até ${formatDate(terms.end)} (fim da fidelidade)`
                    : "Sem data final"}
                </li>
                <li>Você autoriza uma vez no app do seu banco e pode cancelar quando quiser.</li>
              </ul>
            )}
          </label>
          <label class="block border rounded p-3 mb-3">
            <input type="radio" name="method" value="boleto_pix" /> Boleto + PIX todo mês
          </label>
          <button type="submit" class={primaryBtn}>Confirmar forma de pagamento</button>
        </form>
        {pay.journey1 && <BankRequestForm base={base} errors={errors} values={values} />}
      </Card>
    );
  }
  if (choice.method === "boleto_pix" || !rec) {
    return (
      <Card>
        <p data-testid="payment-method">Forma de pagamento: boleto + PIX todo mês.</p>
      </Card>
    );
  }
  if (rec.status === "pending" && rec.solicRec?.status === "sent") {
    return (
      <Card>
        <h2 class="text-xl font-bold mb-1">Pedido enviado ao seu banco</h2>
        <p role="status" data-testid="pix-auto-bank-request">
          Abra o app do seu banco para autorizar o Pix Automático. O pedido fica em Pix Automático
          (ou nas notificações do app) por até 7 dias.
        </p>
        <form method="post" action={`${base}/payment_method`} class="mt-2">
          <input type="hidden" name="_sub" value={newSubmissionId()} />
          <input type="hidden" name="method" value="boleto_pix" />
          <button type="submit" class={secondaryBtn}>Prefiro boleto + PIX</button>
        </form>
      </Card>
    );
  }
  if (rec.status === "pending" && rec.copiaECola) {
    return (
      <Card>
        <h2 class="text-xl font-bold mb-1">Autorize o Pix Automático</h2>
        <p>Abra o app do seu banco, escolha Pix e leia o QR Code (ou use o copia e cola).</p>
        <Qr payload={rec.copiaECola} />
        <label class="block">
          Pix copia e cola
          <textarea
            readOnly
            rows={4}
            class="w-full font-mono text-xs rounded border border-gray-400 p-1"
            data-testid="pix-auto-code"
          >
            {rec.copiaECola}
          </textarea>
        </label>
        <form method="post" action={`${base}/payment_method`} class="mt-2">
          <input type="hidden" name="_sub" value={newSubmissionId()} />
          <input type="hidden" name="method" value="boleto_pix" />
          <button type="submit" class={secondaryBtn}>Prefiro boleto + PIX</button>
        </form>
      </Card>
    );
  }
  return (
    <Card>
      <p data-testid="pix-auto-status" role="status">
        {STATUS_TEXT[rec.status] ?? rec.reason ?? "Suas faturas seguem por boleto + PIX."}
      </p>
    </Card>
  );
}
