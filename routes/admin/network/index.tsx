// The access servers (NAS) that take the new speed by RADIUS CoA (docs/network.md). The shared
// secret is written once and never shown again; it may instead come from an environment variable.
import { ADMINS, type Ctx, define } from "../../../lib/route.ts";
import { formFields, page } from "../../../lib/render.tsx";
import { actorOf } from "../../../lib/actor.ts";
import { createNas, listNas, publicNas } from "../../../services/network/nas.ts";
import { VENDOR_LABELS, VENDORS } from "../../../services/network/profiles.ts";
import { ValidationError } from "../../../services/errors.ts";
import { Button, CsrfField, ErrorBox, Field, Notice } from "../../../components/Form.tsx";

const NOTICES: Record<string, string> = {
  created: "NAS cadastrado. As próximas renovações mudam a velocidade por ele.",
  deleted: "NAS removido.",
};

async function networkPage(
  c: Ctx,
  opts: { status?: number; errors?: Record<string, string>; values?: Record<string, string> } = {},
) {
  const all = (await listNas(c.get("db"))).map(publicNas);
  const v = opts.values ?? { port: "3799", vendor: "mikrotik" };
  const e = opts.errors ?? {};
  const csrf = c.get("session")?.csrf;
  return page(
    c,
    { title: "Rede (CoA)", status: opts.status },
    <section class="max-w-4xl">
      <h1 class="text-2xl font-bold mb-1">Rede: mudança de velocidade (CoA)</h1>
      <p class="text-gray-700 mb-4">
        Ao concluir a renovação, o Renova envia a nova velocidade ao concentrador (NAS) que atende a
        cidade do cliente. Sem NAS, ou se ele não responder, o cliente recebe a instrução de
        desligar e ligar o roteador. O NAS precisa aceitar CoA vindo do endereço do Renova.
      </p>
      <Notice message={NOTICES[c.req.query("ok") ?? ""]} />
      <ul class="mb-6 divide-y bg-white rounded shadow" data-testid="nas-list">
        {all.length === 0 && <li class="p-3 text-gray-700">Nenhum NAS cadastrado.</li>}
        {all.map((n) => (
          <li key={n.id} class="p-3 flex flex-wrap gap-3 items-center" data-testid="nas-row">
            <div class="flex-1 min-w-0">
              <p class="font-medium">{n.name}</p>
              <p class="text-sm text-gray-700">
                {n.host}:{n.port} · {VENDOR_LABELS[n.vendor]} ·{" "}
                {n.cities.length ? n.cities.join(", ") : "todas as cidades"} · segredo{" "}
                {n.secretFrom === "env" ? `na variável ${n.secretEnv}` : "guardado cifrado"}
                {n.options.allowDisconnect ? " · desconecta se o CoA falhar" : ""}
              </p>
            </div>
            <form method="post" action={`/admin/network/${n.id}`}>
              <CsrfField token={csrf} />
              <input type="hidden" name="action" value="delete" />
              <Button variant="secondary">
                Remover<span class="sr-only">{` o NAS ${n.name}`}</span>
              </Button>
            </form>
          </li>
        ))}
      </ul>
      <h2 class="text-xl font-bold mb-2">Cadastrar um NAS</h2>
      <ErrorBox message={opts.errors ? "Verifique os campos destacados." : undefined} />
      <form method="post" action="/admin/network" class="bg-white rounded shadow p-4">
        <CsrfField token={csrf} />
        <div class="grid grid-cols-2 gap-x-3">
          <div class="col-span-2">
            <Field name="name" label="Nome" value={v.name} error={e.name} required />
          </div>
          <Field name="host" label="Endereço (IP ou nome)" value={v.host} error={e.host} required />
          <Field name="port" label="Porta CoA" value={v.port} error={e.port} inputmode="numeric" />
          <div class="col-span-2 mb-4">
            <label for="f-vendor" class="block text-sm font-medium mb-1">Fabricante</label>
            <select
              id="f-vendor"
              name="vendor"
              class="w-full rounded border border-gray-400 px-3 py-2"
            >
              {VENDORS.map((x) => (
                <option key={x} value={x} selected={v.vendor === x}>{VENDOR_LABELS[x]}</option>
              ))}
            </select>
            {e.vendor && <p class="text-sm text-red-700 mt-1">{e.vendor}</p>}
          </div>
          <Field
            name="secret"
            label="Segredo compartilhado"
            type="password"
            autocomplete="new-password"
            error={e.secret}
          />
          <Field
            name="secretEnv"
            label="ou variável de ambiente com o segredo"
            value={v.secretEnv}
            error={e.secretEnv}
          />
          <div class="col-span-2">
            <Field
              name="cities"
              label="Cidades atendidas (separadas por vírgula; vazio = todas)"
              value={v.cities}
              error={e.cities}
            />
          </div>
          <div class="col-span-2 mb-4">
            <label for="f-attributes" class="block text-sm font-medium mb-1">
              Atributos (só perfil genérico: tipo=valor ou fornecedor:tipo=valor, com {"{down}"} e
              {" {up}"} em Mbps)
            </label>
            <textarea
              id="f-attributes"
              name="attributes"
              rows={3}
              class="w-full rounded border border-gray-400 px-3 py-2 font-mono"
              aria-invalid={e.attributes ? "true" : undefined}
            >
              {v.attributes}
            </textarea>
            {e.attributes && <p class="text-sm text-red-700 mt-1">{e.attributes}</p>}
          </div>
          <label class="col-span-2 mb-4 flex gap-2 items-center">
            <input type="checkbox" name="allowDisconnect" checked={v.allowDisconnect === "on"} />
            Se o CoA falhar, desconectar a sessão (o cliente volta com o novo plano)
          </label>
        </div>
        <Button>Cadastrar NAS</Button>
      </form>
    </section>,
  );
}

export default define({
  access: ADMINS,
  GET: (c) => networkPage(c),
  POST: async (c) => {
    const f = await formFields(c);
    try {
      await createNas(c.get("db"), f, actorOf(c));
    } catch (e) {
      if (e instanceof ValidationError) {
        const { secret: _, ...values } = f; // the secret is never sent back to the page
        return await networkPage(c, { status: 400, errors: e.fields, values });
      }
      throw e;
    }
    return c.redirect("/admin/network?ok=created", 303);
  },
});
