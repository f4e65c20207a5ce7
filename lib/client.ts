// Browser entry, the last script of every page with islands (lib/render.tsx): hydrate every
// island marker with the component its own script registered (lib/island.ts). Module scripts
// run in document order, so every island script of the page has run before this one.
import { type ComponentType, h, hydrate } from "preact";
import { IS_BROWSER, islandRegistry } from "./island.ts";

// deno-lint-ignore no-explicit-any
export function boot(islands: ReadonlyMap<string, ComponentType<any>>) {
  for (const el of document.querySelectorAll<HTMLElement>("renova-island")) {
    const C = islands.get(el.dataset.island ?? "");
    if (!C) {
      console.warn("island script not loaded:", el.dataset.island);
      continue;
    }
    hydrate(h(C, JSON.parse(el.dataset.props ?? "{}")), el);
  }
}

if (IS_BROWSER) boot(islandRegistry);
