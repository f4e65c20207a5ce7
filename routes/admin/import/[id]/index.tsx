// One import: the column and plan mapping (with presets), the dry run's report, the start
// button, and while it runs a progress bar that keeps going across reloads.
import { ADMINS, type Ctx, define } from "../../../../lib/route.ts";
import { formFields, page } from "../../../../lib/render.tsx";
import { actorOf } from "../../../../lib/actor.ts";
import {
  getJob,
  type ImportJob,
  jobStatus,
  listIssues,
  mappingKey,
  type Mode,
  saveMapping,
  startJob,
} from "../../../../services/import/jobs.ts";
import { importFileStream, previewCsv } from "../../../../services/import/files.ts";
import {
  type ColumnMapping,
  FIELDS,
  isPreset,
  presetMapping,
} from "../../../../services/import/presets.ts";
import { listPlans, planErpMappings, planResolver } from "../../../../services/plans.ts";
import { ConflictError, ValidationError } from "../../../../services/errors.ts";
import { Button, CsrfField, ErrorBox, Notice } from "../../../../components/Form.tsx";
import ImportProgress from "../../../../islands/ImportProgress.tsx";
import { CountsList, fileFacts, IssueTable, MappingForm } from "../_views.tsx";

const NOTICES: Record<string, string> = {
  preset: "Predefinição aplicada: confira as colunas.",
  plans: "A coluna de plano mudou: confira os planos e simule de novo.",
  started: "Importação iniciada.",
};

async function jobPage(c: Ctx, opts: { status?: number; error?: string; errors?: string } = {}) {
  const db = c.get("db");
  const id = c.req.param("id")!;
  const job = await getJob(db, id);
  const st = await jobStatus(db, id);
  const csrf = c.get("session")?.csrf;
  const base = `/admin/import/${id}`;
  const active = (st.status === "running" || st.status === "dry_running") && !st.stale;
  const mode: Mode = job.status === "done" || job.status === "running" ? "run" : "dry";
  const cursor = c.req.query("cursor") ?? "";
  const issues = await listIssues(db, id, mode, cursor.slice(0, 500));
  const counts = mode === "run" ? job.result?.counts : job.dry?.counts;
  const plans = await listPlans(db);
  const resolve = planResolver(plans, await planErpMappings(db));
  const editable = !active && job.status !== "done" && job.chunks > 0;
  const sample = editable ? await previewCsv(importFileStream(db, id, job.chunks)) : [];
  const dryCurrent = !!job.dry && job.dry.mappingKey === await mappingKey(db, job);
  const canResume = (job.status === "failed" || st.stale) && st.mode === "run" &&
    job.source === "web" && job.chunks > 0;

  return page(
    c,
    { title: "Importação", status: opts.status },
    <section class="max-w-4xl">
      <p class="mb-2">
        <a class="underline" href="/admin/import">← Importações</a>
      </p>
      <h1 class="text-2xl font-bold mb-1">Importação do ERP</h1>
      {fileFacts(job)}
      <Notice message={NOTICES[c.req.query("ok") ?? ""]} />
      <ErrorBox message={opts.error ?? job.error} />
      {active && (
        <ImportProgress
          url={`${base}/status`}
          label={st.status === "running" ? "Importando…" : "Simulando…"}
          initial={{
            status: st.status,
            percent: st.percent,
            rows: st.counts.rows,
            total: st.total,
            bad: st.counts.bad,
            stale: st.stale,
          }}
        />
      )}
      {active && (
        <noscript>
          <a class="underline" href={base}>Atualizar o andamento</a>
        </noscript>
      )}
      {st.stale && <p class="mb-3">A importação parou antes do fim (o servidor reiniciou?).</p>}
      {canResume && (
        <form method="post" action={base} class="mb-4">
          <CsrfField token={csrf} />
          <input type="hidden" name="action" value="resume" />
          <Button>Retomar importação</Button>
        </form>
      )}
      {!active && counts && (
        <>
          <h2 class="font-bold text-lg mb-2">
            {mode === "run" ? "Resultado da importação" : "Resultado da simulação"}
          </h2>
          <CountsList counts={counts} mode={mode} />
          <IssueTable
            issues={issues.items}
            caption="Linhas com problema"
            next={issues.cursor ? `${base}?cursor=${encodeURIComponent(issues.cursor)}` : ""}
          />
        </>
      )}
      {!active && dryCurrent && job.status === "dry_done" && (
        <form method="post" action={base} class="mb-6">
          <CsrfField token={csrf} />
          <input type="hidden" name="action" value="run" />
          <p class="mb-2">
            A simulação não gravou nada. Importar grava as linhas sem problema; as recusadas ficam
            de fora e podem ser corrigidas no ERP e reimportadas.
          </p>
          <Button>Importar agora</Button>
        </form>
      )}
      {editable && (
        <MappingForm
          job={job}
          csrf={csrf}
          sample={sample}
          plans={plans}
          resolved={job.planValues.map((p) => resolve(p.value))}
          errors={opts.errors}
        />
      )}
    </section>,
  );
}

/** The mapping the form sent: one column per field, -1 when not used. */
function mappingOf(f: Record<string, string>, job: ImportJob): ColumnMapping {
  const m = { ...job.mapping };
  for (const field of FIELDS) {
    const v = Number(f[`col_${field.key}`] ?? "-1");
    m[field.key] = Number.isInteger(v) ? v : -2; // -2: refused by mappingProblems
  }
  return m;
}

export default define({
  access: ADMINS,
  GET: (c) => jobPage(c),
  POST: async (c) => {
    const db = c.get("db");
    const id = c.req.param("id")!;
    const f = await formFields(c);
    const job = await getJob(db, id);
    const base = `/admin/import/${id}`;
    const action = f.action || "dry";
    try {
      if (action === "preset") {
        const preset = isPreset(f.preset ?? "") ? f.preset as "ixc" : job.preset;
        const mapping = preset === "custom" ? job.mapping : presetMapping(preset, job.headers);
        await saveMapping(db, id, { preset, mapping });
        return c.redirect(`${base}?ok=preset`, 303);
      }
      if (action === "dry") {
        const mapping = mappingOf(f, job);
        const plans: Record<string, string> = {};
        job.planValues.forEach((p, i) => (plans[p.value] = f[`plan_${i}`] ?? ""));
        const preset = isPreset(f.preset ?? "") &&
            JSON.stringify(presetMapping(f.preset as "ixc", job.headers)) ===
              JSON.stringify(mapping)
          ? f.preset as "ixc"
          : "custom";
        const next = await saveMapping(db, id, { preset, mapping, plans });
        // New plan column: its values must be mapped before a simulation means anything.
        if (next.mapping.plan !== job.mapping.plan) return c.redirect(`${base}?ok=plans`, 303);
        await startJob(db, id, "dry", { actor: actorOf(c) });
        return c.redirect(base, 303);
      }
      if (action === "run" || action === "resume") {
        await startJob(db, id, "run", { actor: actorOf(c), resume: action === "resume" });
        return c.redirect(`${base}?ok=started`, 303);
      }
      throw new ValidationError({ action: "Ação desconhecida." });
    } catch (e) {
      if (e instanceof ValidationError) {
        return await jobPage(c, { status: 400, error: e.message, errors: e.fields.mapping });
      }
      if (e instanceof ConflictError) return await jobPage(c, { status: 409, error: e.message });
      throw e;
    }
  },
});
