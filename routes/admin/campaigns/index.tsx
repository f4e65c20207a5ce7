// Campaign waves (admins): the list with each wave's state, and a form for a new wave. Waves
// open the renewal cases of the day and send the first contact with no attendant click; a
// new wave starts paused until an admin has seen its preview and activated it.
import { ADMINS, type Ctx, define } from "../../../lib/route.ts";
import { page } from "../../../lib/render.tsx";
import { actorOf } from "../../../lib/actor.ts";
import { listPlans } from "../../../services/plans.ts";
import { ValidationError } from "../../../services/errors.ts";
import {
  ensureDefaultWaves,
  listWaves,
  saveWave,
  WAVE_CHANNELS,
  WAVE_STATUSES,
  waveFromForm,
} from "../../../services/campaigns/waves.ts";
import { WaveForm, type WaveValues } from "../../../components/campaigns/WaveForm.tsx";
import { waveFields } from "./_form.ts";
import { Notice } from "../../../components/Form.tsx";
import { formatCount } from "../../../domain/format.ts";

const NEW: WaveValues = {
  name: "",
  offsetDays: "15",
  channel: "whatsapp",
  dailyCap: "5000",
  fromHour: "9",
  toHour: "20",
  declineDays: "90",
  email: "any",
  whatsapp: "any",
};

async function wavesPage(
  c: Ctx,
  opts: { status?: number; errors?: Record<string, string>; values?: WaveValues } = {},
) {
  const db = c.get("db");
  await ensureDefaultWaves(db, actorOf(c));
  const [waves, plans] = await Promise.all([listWaves(db), listPlans(db, { activeOnly: true })]);
  return page(
    c,
    { title: "Campanhas de renovação", status: opts.status },
    <section class="max-w-4xl">
      <h1 class="text-2xl font-bold mb-1">Campanhas de renovação</h1>
      <p class="text-gray-700 mb-4">
        Cada onda contata, sem clique de atendente, os clientes cuja fidelidade termina em tantos
        dias: abre a renovação e envia o primeiro contato com o link pessoal. Uma onda nova começa
        pausada: confira a prévia e ative.
      </p>
      <Notice message={c.req.query("ok") === "cancelled" ? "Onda cancelada." : undefined} />
      <table class="w-full bg-white rounded shadow mb-6 text-left" data-testid="waves">
        <caption class="sr-only">Ondas de campanha</caption>
        <thead>
          <tr class="border-b">
            <th scope="col" class="px-3 py-2">Onda</th>
            <th scope="col" class="px-3 py-2">Quando</th>
            <th scope="col" class="px-3 py-2">Canal</th>
            <th scope="col" class="px-3 py-2">Limite/dia</th>
            <th scope="col" class="px-3 py-2">Situação</th>
          </tr>
        </thead>
        <tbody>
          {waves.map((w) => (
            <tr key={w.id} class="border-b" data-testid="wave-row">
              <td class="px-3 py-2">
                <a href={`/admin/campaigns/${w.id}`} class="text-brand-700 underline">{w.name}</a>
              </td>
              <td class="px-3 py-2">D-{w.offsetDays}</td>
              <td class="px-3 py-2">{WAVE_CHANNELS[w.channel]}</td>
              <td class="px-3 py-2">{formatCount(w.dailyCap)}</td>
              <td class="px-3 py-2">{WAVE_STATUSES[w.status]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2 class="text-xl font-bold mb-2">Nova onda</h2>
      <WaveForm
        action="/admin/campaigns"
        csrf={c.get("session")?.csrf}
        plans={plans}
        values={opts.values ?? NEW}
        errors={opts.errors}
        submit="Criar onda (pausada)"
      />
    </section>,
  );
}

export default define({
  access: ADMINS,
  GET: (c) => wavesPage(c),
  POST: async (c) => {
    const f = await waveFields(c);
    const db = c.get("db");
    try {
      const plans = await listPlans(db);
      const w = await saveWave(db, waveFromForm(f, plans.map((p) => p.id)), actorOf(c));
      return c.redirect(`/admin/campaigns/${w.id}?ok=created`, 303);
    } catch (e) {
      if (e instanceof ValidationError) {
        return await wavesPage(c, { status: 400, errors: e.fields, values: f });
      }
      throw e;
    }
  },
});
