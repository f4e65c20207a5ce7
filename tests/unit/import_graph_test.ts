// The module graph has no cycles: a cycle makes load order matter (a constant read before its
// module ran is `undefined`) and ties layers together. The graph is Deno's own (`deno info`),
// type-only imports included, from every entry point: the server and the scripts.
import assert from "node:assert/strict";

import { denoInfo, ROOT } from "./deno_info.ts";

async function entryPoints(): Promise<string[]> {
  const out = ["main.ts"];
  for await (const e of Deno.readDir(new URL("scripts/", ROOT))) {
    if (e.isFile && e.name.endsWith(".ts")) out.push(`scripts/${e.name}`);
  }
  return out.sort();
}

/** Local module → local modules it imports (code or types). */
async function graph(): Promise<Map<string, Set<string>>> {
  const edges = new Map<string, Set<string>>();
  const root = ROOT.href;
  for (const entry of await entryPoints()) {
    const modules = await denoInfo(entry);
    for (const m of modules) {
      if (!m.specifier.startsWith(root) || m.specifier.includes("/node_modules/")) continue;
      const from = m.specifier.slice(root.length);
      const set = edges.get(from) ?? new Set<string>();
      for (const d of m.dependencies ?? []) {
        for (const s of [d.code?.specifier, d.type?.specifier]) {
          if (s?.startsWith(root) && !s.includes("/node_modules/")) set.add(s.slice(root.length));
        }
      }
      edges.set(from, set);
    }
  }
  return edges;
}

/** Strongly connected components with more than one module (Tarjan). */
function cycles(edges: Map<string, Set<string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) found.push(scc.sort());
    }
  };
  for (const v of [...edges.keys()].sort()) if (!index.has(v)) visit(v);
  return found;
}

Deno.test("no import cycles among the app's and scripts' modules", async () => {
  assert.deepEqual(cycles(await graph()), []);
});

Deno.test("code outside services/messaging/ enters it only through mod.ts", async () => {
  const inside = (m: string) => m.startsWith("services/messaging/");
  // app.config.ts reads the settings parser directly: settings load before the app.
  const allowed = new Set(["services/messaging/mod.ts", "services/messaging/settings.ts"]);
  const offenders: string[] = [];
  for (const [from, tos] of await graph()) {
    if (inside(from)) continue;
    for (const to of tos) {
      if (inside(to) && !allowed.has(to)) offenders.push(`${from} -> ${to}`);
      if (to === "services/messaging/settings.ts" && from !== "app.config.ts") {
        offenders.push(`${from} -> ${to}`);
      }
    }
  }
  assert.deepEqual(offenders.sort(), []);
});
