import { ADMINS, type Ctx, define } from "../../lib/route.ts";
import { formFields, page } from "../../lib/render.tsx";
import { actorOf } from "../../lib/actor.ts";
import {
  BANK_NAMES,
  type BillingSettings,
  getBillingSettings,
  saveBillingSettings,
  validateBillingSettings,
} from "../../services/billing_settings.ts";
import { checkBankFields } from "../../services/invoices.ts";
import { AppError, ValidationError } from "../../services/errors.ts";
import { Button, CsrfField, ErrorBox, Field, Notice } from "../../components/Form.tsx";
import { formatCnpj } from "../../domain/format.ts";

function flat(s: BillingSettings): Record<string, string> {
  return {
    name: s.beneficiary.name,
    cnpj: formatCnpj(s.beneficiary.cnpj),
    address: s.beneficiary.address,
    bank: s.bank,
    agencia: s.agencia,
    conta: s.conta,
    carteira: s.carteira,
    convenio: s.convenio,
    beneficiario: s.beneficiario,
    pixKey: s.pixKey,
    pixCity: s.pixCity,
    dueDay: String(s.dueDay),
    count: String(s.count),
  };
}

async function billingPage(
  c: Ctx,
  opts: {
    status?: number;
    errors?: Record<string, string>;
    values?: Record<string, string>;
    error?: string;
  } = {},
) {
  const { settings } = await getBillingSettings(c.get("db"), c.get("config").provider);
  const v = opts.values ?? flat(settings);
  const e = opts.errors ?? {};
  return page(
    c,
    { title: "Cobrança", status: opts.status },
    <section class="max-w-2xl">
      <h1 class="text-2xl font-bold mb-1">Cobrança</h1>
      <p class="text-gray-700 mb-4">
        Dados usados nos boletos e no PIX das faturas emitidas após cada renovação. Os boletos
        precisam estar registrados no banco (veja docs/billing.md).
      </p>
      <Notice message={c.req.query("ok") ? "Configurações salvas." : ""} />
      <ErrorBox message={opts.error} />
      <form method="post" action="/admin/billing" class="bg-white rounded shadow p-4">
        <CsrfField token={c.get("session")?.csrf} />
        <h2 class="font-bold mb-2">Beneficiário</h2>
        <Field name="name" label="Razão social" value={v.name} error={e.name} required />
        <Field name="cnpj" label="CNPJ" value={v.cnpj} error={e.cnpj} required />
        <Field name="address" label="Endereço" value={v.address} error={e.address} required />
        <h2 class="font-bold mb-2 mt-4">Banco</h2>
        <div class="mb-4">
          <label for="f-bank" class="block text-sm font-medium mb-1">Banco</label>
          <select id="f-bank" name="bank" class="w-full rounded border border-gray-400 px-3 py-2">
            {Object.entries(BANK_NAMES).map(([code, name]) => (
              <option key={code} value={code} selected={v.bank === code}>{code} — {name}</option>
            ))}
          </select>
          {e.bank && <p class="text-sm text-red-700 mt-1">{e.bank}</p>}
        </div>
        <div class="grid grid-cols-2 gap-x-3">
          <Field
            name="agencia"
            label="Agência (sem dígito)"
            value={v.agencia}
            inputmode="numeric"
          />
          <Field name="conta" label="Conta (sem dígito)" value={v.conta} inputmode="numeric" />
          <Field name="carteira" label="Carteira" value={v.carteira} inputmode="numeric" />
          <Field
            name="convenio"
            label="Convênio (Banco do Brasil)"
            value={v.convenio}
            inputmode="numeric"
          />
          <Field
            name="beneficiario"
            label="Código do beneficiário (Caixa)"
            value={v.beneficiario}
            inputmode="numeric"
          />
        </div>
        <h2 class="font-bold mb-2 mt-4">PIX e faturas</h2>
        <Field name="pixKey" label="Chave PIX" value={v.pixKey} error={e.pixKey} required />
        <Field
          name="pixCity"
          label="Cidade (PIX, até 15 letras)"
          value={v.pixCity}
          error={e.pixCity}
          required
        />
        <div class="grid grid-cols-2 gap-x-3">
          <Field
            name="dueDay"
            label="Dia de vencimento"
            value={v.dueDay}
            error={e.dueDay}
            inputmode="numeric"
          />
          <Field
            name="count"
            label="Faturas por renovação"
            value={v.count}
            error={e.count}
            inputmode="numeric"
          />
        </div>
        <Button>Salvar</Button>
      </form>
    </section>,
  );
}

export default define({
  access: ADMINS,
  GET: (c) => billingPage(c),
  POST: async (c) => {
    const f = await formFields(c);
    try {
      const next = validateBillingSettings(f);
      await saveBillingSettings(
        c.get("db"),
        next,
        actorOf(c),
        () => Promise.resolve(checkBankFields(next)),
      );
    } catch (e) {
      if (e instanceof ValidationError) {
        return await billingPage(c, { status: 400, errors: e.fields, values: f, error: e.message });
      }
      if (e instanceof AppError) {
        return await billingPage(c, { status: e.status, values: f, error: e.message });
      }
      throw e;
    }
    return c.redirect("/admin/billing?ok=1", 303);
  },
});
