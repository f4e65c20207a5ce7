// The ERP bridge at a glance (admins): the last pulls with what they read, changed and
// refused; the write-backs queued, failed for good (dead letters) or in conflict, each with a
// button to send it again. Pull and push on demand.
import { ADMINS, define } from "../../lib/route.ts";
import { formFields, page } from "../../lib/render.tsx";
import { actorOf } from "../../lib/actor.ts";
import { formatDateTime } from "../../domain/format.ts";
import { Button, CsrfField, Notice } from "../../components/Form.tsx";
import { NotFoundError, ValidationError } from "../../services/errors.ts";
import { listPullRuns, type PullRun } from "../../services/erp/pull.ts";
import {
  ERP_WRITE_LABELS,
  type ErpWrite,
  keepErpVersion,
  listErpWrites,
  retryErpWrite,
} from "../../services/erp/queue.ts";
import { runNow } from "../../services/erp/schedule.ts";

const NOTICES: Record<string, string> = {
  retried: "Envio recolocado na fila: sai na próxima passada (até 1 minuto).",
  kept: "Conflito resolvido: mantido o que está no ERP; o envio do Renova foi descartado.",
  pull: "Leitura do ERP iniciada. Recarregue em instantes para ver o resultado.",
  push: "Envio ao ERP iniciado. Recarregue em instantes para ver o resultado.",
  busy: "Já há uma leitura ou um envio em andamento: aguarde terminar.",
};

const STATUS: Record<ErpWrite["status"], string> = {
  queued: "na fila",
  done: "enviado",
  conflict: "conflito",
  dead: "falhou",
  dropped: "descartado",
};

function PullRow({ r }: { r: PullRun }) {
  const c = r.counts;
  return (
    <li class="bg-white rounded shadow p-3" data-testid="erp-pull">
      <p class="font-medium">
        {formatDateTime(r.at)} · {r.dryRun ? "simulação" : "leitura"} · {r.read.contracts}{" "}
        contrato(s) lidos
      </p>
      <p class="text-sm text-gray-700">
        {c?.created ?? 0} novos · {c?.updated ?? 0} atualizados · {c?.unchanged ?? 0} iguais ·{" "}
        {c?.kept ?? 0} mantidos (renovação aberta) · {(c?.bad ?? 0) + r.refused.length} recusados ·
        {" "}
        {r.plans} plano(s) · {r.logins} login(s)
      </p>
      {r.refused.length > 0 && (
        <ul class="text-sm list-disc ml-5">
          {r.refused.map((x) => <li key={x.erpId}>{x.table} {x.erpId}: {x.reason}</li>)}
        </ul>
      )}
      {r.jobId && (c?.bad ?? 0) > 0 && (
        <a href={`/admin/import/${r.jobId}`} class="text-sm text-brand-700 underline">
          Motivo de cada linha recusada
        </a>
      )}
    </li>
  );
}

function WriteRow({ w, csrf }: { w: ErpWrite; csrf?: string }) {
  return (
    <li class="bg-white rounded shadow p-3" data-testid={`erp-write-${w.status}`}>
      <p class="font-medium">
        {ERP_WRITE_LABELS[w.kind]} · contrato {w.payload.contractErpId} · {STATUS[w.status]}
      </p>
      <p class="text-sm text-gray-700">
        Criado em {formatDateTime(w.createdAt)} · tentativas: {w.attempts}
        {w.status === "queued" ? ` · próxima: ${formatDateTime(w.nextAt)}` : ""}
        {w.result ? ` · ${w.result}` : ""}
      </p>
      {w.lastError && <p class="text-sm break-all">{w.lastError}</p>}
      <a href={`/app/cases/${w.caseId}`} class="text-sm text-brand-700 underline">Abrir o caso</a>
      {(w.status === "dead" || w.status === "conflict") && (
        <form method="post" action="/admin/erp" class="mt-2">
          <CsrfField token={csrf} />
          <input type="hidden" name="id" value={w.id} />
          <input type="hidden" name="action" value="retry" />
          <Button variant="secondary">
            {w.status === "conflict" ? "Enviar mesmo assim" : "Tentar de novo"}
          </Button>
        </form>
      )}
      {w.status === "conflict" && (
        <form method="post" action="/admin/erp" class="mt-2">
          <CsrfField token={csrf} />
          <input type="hidden" name="id" value={w.id} />
          <input type="hidden" name="action" value="keep" />
          <Button variant="secondary">Manter o que está no ERP</Button>
        </form>
      )}
    </li>
  );
}

export default define({
  access: ADMINS,
  GET: async (c) => {
    const db = c.get("db");
    const erp = c.get("config").erp;
    const [runs, writes] = await Promise.all([listPullRuns(db, 5), listErpWrites(db, 200)]);
    const open = writes.items.filter((w) => w.status !== "done");
    const done = writes.items.filter((w) => w.status === "done").slice(0, 20);
    const csrf = c.get("session")?.csrf;
    const action = (name: string, label: string) => (
      <form method="post" action="/admin/erp">
        <CsrfField token={csrf} />
        <input type="hidden" name="action" value={name} />
        <Button variant="secondary">{label}</Button>
      </form>
    );
    return page(
      c,
      { title: "ERP" },
      <section class="grid gap-4">
        <h1 class="text-2xl font-bold">ERP</h1>
        <Notice message={NOTICES[c.req.query("ok") ?? ""]} />
        {erp
          ? (
            <div class="flex gap-2 items-center flex-wrap">
              <p data-testid="erp-on">IXC Provedor em {new URL(erp.ixc.url).host}.</p>
              {action("pull", "Ler do ERP agora")}
              {action("push", "Enviar ao ERP agora")}
            </div>
          )
          : (
            <p data-testid="erp-off">
              Nenhum ERP configurado: defina IXC_URL e IXC_TOKEN (veja docs/erp.md).
            </p>
          )}
        <h2 class="text-xl font-semibold">Últimas leituras</h2>
        {runs.length
          ? <ul class="grid gap-3">{runs.map((r) => <PullRow key={r.id} r={r} />)}</ul>
          : <p>Nenhuma leitura ainda.</p>}
        <h2 class="text-xl font-semibold">Envios ao ERP</h2>
        <p data-testid="erp-counts">
          Na fila: {writes.counts.queued} · conflitos: {writes.counts.conflict} · com falha:{" "}
          {writes.counts.dead} · enviados: {writes.counts.done}
        </p>
        {open.length > 0 && (
          <ul class="grid gap-3">{open.map((w) => <WriteRow key={w.id} w={w} csrf={csrf} />)}</ul>
        )}
        {done.length > 0 && (
          <details>
            <summary>Últimos enviados</summary>
            <ul class="grid gap-3 mt-2">{done.map((w) => <WriteRow key={w.id} w={w} />)}</ul>
          </details>
        )}
      </section>,
    );
  },
  POST: async (c) => {
    const f = await formFields(c);
    const db = c.get("db");
    if (f.action === "retry" || f.action === "keep") {
      if (!/^[0-9A-Z]{26}$/.test(f.id ?? "")) throw new NotFoundError("Envio não encontrado.");
      const settle = f.action === "retry" ? retryErpWrite : keepErpVersion;
      await settle(db, f.id, actorOf(c));
      return c.redirect(`/admin/erp?ok=${f.action === "retry" ? "retried" : "kept"}`, 303);
    }
    const erp = c.get("config").erp;
    if (f.action !== "pull" && f.action !== "push") {
      throw new ValidationError({ action: "Ação desconhecida." });
    }
    if (!erp) throw new ValidationError({ action: "Nenhum ERP configurado." });
    const r = runNow(db, erp, f.action, actorOf(c));
    return c.redirect(`/admin/erp?ok=${r === "busy" ? "busy" : f.action}`, 303);
  },
});
