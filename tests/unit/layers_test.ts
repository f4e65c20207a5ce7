// The layer rules of docs/ARCHITECTURE.md, checked on the source: domain/ is pure and
// browser-safe, islands never reach into services/, services never into lib/ (framework glue),
// and Brazilian formats are written once, in domain/format.ts.
import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

function* sources(dir: string): Generator<string> {
  for (const e of Deno.readDirSync(join(ROOT, dir))) {
    const p = join(dir, e.name);
    if (e.isDirectory) yield* sources(p);
    else if (/\.tsx?$/.test(e.name)) yield p;
  }
}

/** Repository-relative paths of the local modules a file imports. */
function localImports(file: string): string[] {
  const text = Deno.readTextFileSync(join(ROOT, file));
  return [...text.matchAll(/(?:from|import)\s*\(?\s*"(\.[^"]+)"/g)].map((m) =>
    relative(ROOT, join(ROOT, file, "..", m[1]))
  );
}

function violations(dir: string, forbidden: RegExp): string[] {
  return [...sources(dir)].flatMap((f) =>
    localImports(f).filter((i) => forbidden.test(i)).map((i) => `${f} -> ${i}`)
  );
}

Deno.test("domain/ imports only domain/ and uses no Deno API", () => {
  assert.deepEqual(violations("domain", /^(?!domain\/)/), []);
  for (const f of sources("domain")) {
    assert.doesNotMatch(Deno.readTextFileSync(join(ROOT, f)), /\bDeno\./, f);
  }
});

Deno.test("islands import nothing from services/", () => {
  assert.deepEqual(violations("islands", /^services\//), []);
});

Deno.test("services import nothing from lib/, routes/, components/ or islands/", () => {
  assert.deepEqual(violations("services", /^(lib|routes|components|islands)\//), []);
});

Deno.test("money, date-time and CPF/CNPJ formats are written only in domain/format.ts", () => {
  const copies = [
    /toLocaleString\("pt-BR"/,
    /Intl\.NumberFormat\("pt-BR"/,
    /Intl\.DateTimeFormat\("pt-BR"/,
    /\.slice\(6, 9\)\}-/,
  ];
  const found: string[] = [];
  for (const dir of ["services", "islands", "components", "lib", "routes"]) {
    for (const f of sources(dir)) {
      const text = Deno.readTextFileSync(join(ROOT, f));
      for (const re of copies) if (re.test(text)) found.push(`${f}: ${re.source}`);
    }
  }
  assert.deepEqual(found, []);
});

// Fresh's shape: a page is a loader plus a component; a route that re-shows a page (an action
// refused) renders that component, never another route module (its handlers, its access rule).
Deno.test("a route module imports no other route module", () => {
  const isRoute = (f: string) => f.startsWith("routes/") && !/(^|\/)_[^/]*$/.test(f);
  const found = [...sources("routes")].filter(isRoute).flatMap((f) =>
    localImports(f).filter(isRoute).map((i) => `${f} -> ${i}`)
  );
  assert.deepEqual(found, []);
});
