import { page } from "../lib/render.tsx";
import type { Ctx } from "../lib/route.ts";

export default function notFound(c: Ctx) {
  const t = c.get("t");
  return page(
    c,
    { title: t("error.404.title"), status: 404 },
    <section class="max-w-lg mx-auto mt-10 bg-white rounded shadow p-6">
      <h1 class="text-2xl font-bold mb-2">{t("error.404.title")}</h1>
      <p class="mb-4">{t("error.404.body")}</p>
      <a class="text-brand-700 underline" href="/">{t("error.back")}</a>
    </section>,
  );
}
