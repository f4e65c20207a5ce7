// The twind safelist is generated from the islands' sources (lib/island_classes.ts) and covers
// every class string they hold, so a class an island draws in the browser always has CSS.
import assert from "node:assert/strict";
import { twindSafelist } from "../../app.config.ts";
import { islandClasses, islandClassMap, safelistModule } from "../../lib/island_classes.ts";
import { listSourceFiles } from "../../lib/manifest.ts";

const root = new URL("../../", import.meta.url);

Deno.test("twind_safelist.gen.ts is up to date (run `deno task build`)", async () => {
  assert.equal(
    await Deno.readTextFile(new URL("twind_safelist.gen.ts", root)),
    safelistModule(await islandClasses(root), await islandClassMap(root)),
    "twind_safelist.gen.ts is stale",
  );
});

Deno.test("the safelist covers every class attribute and class constant in islands/", async () => {
  // Found independently of the generator: class attributes (plain, template or conditional),
  // className assignments, and string constants named like class lists.
  const found = new RegExp(
    [
      /class(?:Name)?=\{?"([^"]+)"/.source,
      /class=\{`([^`]+)`\}/.source,
      /className = "([^"]+)"/.source,
      /(?:field|badge|cls|Cls) = "([^"]+)"/.source,
    ].join("|"),
    "g",
  );
  const safe = new Set(twindSafelist);
  const missing: string[] = [];
  for (const f of await listSourceFiles(root, "islands")) {
    const src = await Deno.readTextFile(new URL(f, root));
    for (const m of src.matchAll(found)) {
      const text = m.slice(1).filter(Boolean).join(" ").replace(/\$\{[^}]*\}/g, " ");
      for (const c of text.split(/\s+/)) if (c && !safe.has(c)) missing.push(`${f}: ${c}`);
    }
  }
  assert.deepEqual(missing, []);
});

Deno.test("the safelist covers the offline islands' class tables", async () => {
  const { ui } = await import("../../islands/OfflineOutbox.tsx");
  const { bannerCls } = await import("../../islands/SyncAgent.tsx");
  const safe = new Set(twindSafelist);
  const used = [...Object.values(ui), ...Object.values(bannerCls)].flatMap((v) =>
    String(v).split(/\s+/)
  );
  assert.deepEqual(used.filter((c) => c && !safe.has(c)), []);
});
