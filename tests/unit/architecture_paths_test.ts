// docs/ARCHITECTURE.md is the map newcomers trust: every file it names must exist. A path is
// checked where it says; a bare file name (`seal.ts`, read in its section's folder) must exist
// somewhere in the repository.
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url);
const SKIP = new Set(["node_modules", ".git", "data", "artifacts"]);

async function allFiles(dir: URL, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (SKIP.has(e.name)) continue;
    if (e.isDirectory) {
      out.push(...await allFiles(new URL(`${e.name}/`, dir), `${prefix}${e.name}/`));
    } else out.push(prefix + e.name);
  }
  return out;
}

Deno.test("every file docs/ARCHITECTURE.md names exists", async () => {
  const doc = await Deno.readTextFile(new URL("docs/ARCHITECTURE.md", ROOT));
  const files = await allFiles(ROOT);
  const named = [...doc.matchAll(/`([\w./[\]-]+\.(?:ts|tsx|md|js))`/g)].map((m) => m[1])
    // Patterns and placeholders (`islands/Name.tsx`, `routes/**/_middleware.ts`) are not files.
    .filter((p) => !p.includes("*") && !/\/Name\./.test(p));
  const missing = [...new Set(named)].filter((p) =>
    p.includes("/") && !p.startsWith("/")
      ? !files.includes(p)
      : !files.some((f) => f.endsWith(`/${p.replace(/^\//, "")}`) || f === p)
  );
  assert.deepEqual(missing, []);
});
