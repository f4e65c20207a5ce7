import { page } from "../lib/render.tsx";
import type { Ctx } from "../lib/route.ts";

export default function notFound(c: Ctx) {
  return page(
    c,
    { title: "Página não encontrada", status: 404 },
    <section class="max-w-lg mx-auto mt-10 bg-white rounded shadow p-6">
      <h1 class="text-2xl font-bold mb-2">Página não encontrada</h1>
      <p class="mb-4">O endereço que você abriu não existe ou foi removido.</p>
      <a class="text-brand-700 underline" href="/">Voltar ao início</a>
    </section>,
  );
}
