// Browser entry: hydrate every island marker on the page with its component and props.
import { type ComponentType, h, hydrate } from "preact";

// deno-lint-ignore no-explicit-any
export function boot(islands: Record<string, ComponentType<any>>) {
  for (const el of document.querySelectorAll<HTMLElement>("renova-island")) {
    const C = islands[el.dataset.island ?? ""];
    if (!C) {
      console.warn("island not in bundle:", el.dataset.island);
      continue;
    }
    hydrate(h(C, JSON.parse(el.dataset.props ?? "{}")), el);
  }
}
