// One campaign wave (admins): its preview for today ("vai contatar…; fora…"), its report,
// pause / resume / cancel, and its settings.
import { ADMINS, type Ctx, define } from "../../../lib/route.ts";
import { page } from "../../../lib/render.tsx";
import { actorOf } from "../../../lib/actor.ts";
import { renewalEnv } from "../../../lib/staff.ts";
import { listPlans } from "../../../services/plans.ts";
import { ValidationError } from "../../../services/errors.ts";
import {
  getWave,
  saveWave,
  setWaveStatus,
  WAVE_STATUSES,
  waveFromForm,
} from "../../../services/campaigns/waves.ts";
import { wavePreview } from "../../../services/campaigns/preview.ts";
import { waveReport } from "../../../services/campaigns/report.ts";
import {
  previewLine,
  ReportTable,
  WaveForm,
  type WaveValues,
  waveValues,
} from "../../../components/campaigns/WaveForm.tsx";
import { Button, CsrfField, ErrorBox, Notice } from "../../../components/Form.tsx";
import { formatDate, formatDateTime } from "../../../domain/format.ts";
import { waveFields } from "./_form.ts";

const NOTICES: Record<string, string> = {
  created: "Onda criada, pausada. Confira a prévia e ative quando quiser.",
  saved: "Alterações salvas.",
  activate: "Onda ativa: o planejador diário vai contatar os clientes dela.",
  pause: "Onda pausada: ninguém mais é contatado por ela até você retomar.",
};

async function wavePage(
  c: Ctx,
  id: string,
  opts: {
    status?: number;
    errors?: Record<string, string>;
    values?: WaveValues;
    message?: string;
  } = {},
) {
  const db = c.get("db");
  const wave = await getWave(db, id);
  const [plans, preview, report] = await Promise.all([
    listPlans(db, { activeOnly: true }),
    wavePreview(renewalEnv(c), wave, { fresh: c.req.query("previa") === "nova" }),
    waveReport(db, wave.id),
  ]);
  const csrf = c.get("session")?.csrf;
  const moves = wave.status === "paused"
    ? [["activate", "Ativar onda", "primary"]]
    : wave.status === "active"
    ? [["pause", "Pausar onda", "secondary"]]
    : [];
  return page(
    c,
    { title: `Onda ${wave.name}`, status: opts.status },
    <section class="max-w-4xl">
      <p class="mb-2">
        <a href="/admin/campaigns" class="text-brand-700 underline">Voltar às campanhas</a>
      </p>
      <h1 class="text-2xl font-bold mb-1">Onda {wave.name}</h1>
      <p class="mb-3" data-testid="wave-status">
        Situação: <strong>{WAVE_STATUSES[wave.status]}</strong>
      </p>
      <Notice message={NOTICES[c.req.query("ok") ?? ""]} />
      <ErrorBox message={opts.message} />
      <h2 class="text-xl font-bold mb-1">Prévia de hoje</h2>
      <p class="text-sm text-gray-700 mb-1">
        Fidelidades que terminam de {formatDate(preview.from)} a {formatDate(preview.to)}.
      </p>
      <p class="mb-1 rounded bg-white shadow p-3" data-testid="wave-preview" aria-live="polite">
        {previewLine(preview)}
      </p>
      <p class="text-sm text-gray-700 mb-4">
        Calculada em {formatDateTime(preview.at)}.{" "}
        <a href={`/admin/campaigns/${wave.id}?previa=nova`} class="text-brand-700 underline">
          Calcular de novo
        </a>
      </p>
      {wave.status !== "cancelled" && (
        <div class="flex flex-wrap gap-2 mb-6">
          {moves.map(([action, label, variant]) => (
            <form key={action} method="post" action={`/admin/campaigns/${wave.id}`}>
              <CsrfField token={csrf} />
              <input type="hidden" name="action" value={action} />
              <input type="hidden" name="rev" value={String(wave.rev)} />
              <Button variant={variant as "primary"}>{label}</Button>
            </form>
          ))}
          <form method="post" action={`/admin/campaigns/${wave.id}`}>
            <CsrfField token={csrf} />
            <input type="hidden" name="action" value="cancel" />
            <input type="hidden" name="rev" value={String(wave.rev)} />
            <Button variant="danger">Cancelar onda</Button>
          </form>
        </div>
      )}
      <h2 class="text-xl font-bold mb-2">Relatório</h2>
      <div class="mb-6">
        <ReportTable r={report} />
      </div>
      {wave.status !== "cancelled" && (
        <>
          <h2 class="text-xl font-bold mb-2">Configuração</h2>
          <WaveForm
            action={`/admin/campaigns/${wave.id}`}
            csrf={csrf}
            plans={plans}
            values={opts.values ?? waveValues(wave)}
            errors={opts.errors}
            submit="Salvar alterações"
          />
        </>
      )}
    </section>,
  );
}

export default define({
  access: ADMINS,
  GET: (c) => wavePage(c, c.req.param("id")!),
  POST: async (c) => {
    const id = c.req.param("id")!;
    const f = await waveFields(c);
    const db = c.get("db");
    const rev = /^\d{1,9}$/.test(String(f.rev ?? "")) ? Number(f.rev) : undefined;
    try {
      if (f.action === "save") {
        const plans = await listPlans(db);
        await saveWave(db, waveFromForm(f, plans.map((p) => p.id)), actorOf(c), {
          id,
          rev: rev ?? -1,
        });
        return c.redirect(`/admin/campaigns/${id}?ok=saved`, 303);
      }
      await setWaveStatus(db, id, String(f.action ?? ""), actorOf(c), rev);
      if (f.action === "cancel") return c.redirect("/admin/campaigns?ok=cancelled", 303);
      return c.redirect(`/admin/campaigns/${id}?ok=${f.action}`, 303);
    } catch (e) {
      if (e instanceof ValidationError) {
        const fieldErrors = f.action === "save" ? e.fields : undefined;
        const message = fieldErrors ? undefined : Object.values(e.fields).join(" ");
        return await wavePage(c, id, {
          status: 400,
          errors: fieldErrors,
          values: fieldErrors ? f : undefined,
          message,
        });
      }
      throw e;
    }
  },
});
