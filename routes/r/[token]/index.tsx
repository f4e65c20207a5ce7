import { define } from "../../../lib/route.ts";
import { page } from "../../../lib/render.tsx";

// Customer link page. Until the renewal flow lands, no link can exist, so every token is
// answered as invalid — with the same page an expired or revoked link will get.
export default define({
  access: "public",
  GET: (c) => {
    const t = c.get("t");
    return page(
      c,
      { title: t("link.invalid.title"), status: 404, nav: false },
      <section class="max-w-md mx-auto mt-10 bg-white rounded shadow p-6">
        <h1 class="text-xl font-bold mb-2">{t("link.invalid.title")}</h1>
        <p>{t("link.invalid.body")}</p>
      </section>,
    );
  },
});
