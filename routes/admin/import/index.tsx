// Import from the provider's ERP, step 1: upload the CSV. Recent imports are listed below.
import { ADMINS, type Ctx, define } from "../../../lib/route.ts";
import { page } from "../../../lib/render.tsx";
import { actorOf } from "../../../lib/actor.ts";
import { createJob, type JobStatus, listJobs } from "../../../services/import/jobs.ts";
import { ValidationError } from "../../../services/errors.ts";
import { Button, CsrfField, ErrorBox } from "../../../components/Form.tsx";
import { MAX_BODY_BYTES } from "../../../app.config.ts";
import { parseFormBody } from "../../../lib/form.ts";
import { formatCount } from "../../../domain/format.ts";

const STATUS: Record<JobStatus, string> = {
  uploaded: "Aguardando simulação",
  dry_running: "Simulando",
  dry_done: "Simulada",
  running: "Importando",
  done: "Concluída",
  failed: "Interrompida",
};

async function uploadPage(c: Ctx, opts: { status?: number; error?: string } = {}) {
  const jobs = await listJobs(c.get("db"));
  return page(
    c,
    { title: "Importar do ERP", status: opts.status },
    <section class="max-w-3xl">
      <h1 class="text-2xl font-bold mb-1">Importar do ERP</h1>
      <p class="text-gray-700 mb-4">
        Envie a exportação de clientes e contratos do seu ERP (IXC Provedor ou outro) em CSV, UTF-8
        ou Latin-1, separado por ponto e vírgula ou vírgula. Depois você confere as colunas, simula
        e só então importa. Reimportar o mesmo arquivo não altera nada.
      </p>
      <ErrorBox message={opts.error} />
      <form
        method="post"
        action="/admin/import"
        enctype="multipart/form-data"
        class="bg-white rounded shadow p-4 mb-6"
      >
        <CsrfField token={c.get("session")?.csrf} />
        <label for="f-file" class="block text-sm font-medium mb-1">Arquivo CSV</label>
        <input
          id="f-file"
          name="file"
          type="file"
          accept=".csv,.txt,text/csv"
          required
          aria-describedby="f-file-hint"
          class="block w-full mb-1"
        />
        <p id="f-file-hint" class="text-sm text-gray-700 mb-4">
          Até {Math.floor(MAX_BODY_BYTES / 1024 / 1024)} MB pelo navegador. Arquivos maiores:{" "}
          <code>deno task import ARQUIVO.csv</code> no servidor.
        </p>
        <Button>Enviar</Button>
      </form>
      <h2 class="font-bold text-lg mb-2">Importações recentes</h2>
      {jobs.length === 0 ? <p>Nenhuma ainda.</p> : (
        <ul class="bg-white rounded shadow divide-y">
          {jobs.map((j) => (
            <li key={j.id} class="p-3 flex justify-between gap-2">
              <a class="underline" href={`/admin/import/${j.id}`}>{j.fileName}</a>
              <span class="text-gray-700">
                {formatCount(j.rows)} linhas · {STATUS[j.status]}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>,
  );
}

export default define({
  access: ADMINS,
  GET: (c) => uploadPage(c),
  POST: async (c) => {
    const body = await parseFormBody(c);
    const file = body.file;
    if (!(file instanceof File) || file.size === 0) {
      return await uploadPage(c, { status: 400, error: "Escolha um arquivo CSV." });
    }
    try {
      const job = await createJob(
        c.get("db"),
        { name: file.name, stream: file.stream() },
        actorOf(c),
      );
      return c.redirect(`/admin/import/${job.id}`, 303);
    } catch (e) {
      if (e instanceof ValidationError) {
        return await uploadPage(c, { status: 400, error: e.message });
      }
      if (e instanceof TypeError) {
        // TextDecoder's fatal mode: UTF-8 at the start, something else further on.
        return await uploadPage(c, {
          status: 400,
          error: "O arquivo mistura codificações. Salve-o de novo como UTF-8 e envie outra vez.",
        });
      }
      throw e;
    }
  },
});
