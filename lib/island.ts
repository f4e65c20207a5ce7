// Islands, Fresh's model: on the server an island renders inside a <renova-island> marker that
// carries its name and JSON props; in the browser lib/client.ts hydrates each marker with the
// same component. Props must be plain JSON.
import { type ComponentType, h } from "preact";

export const IS_BROWSER = typeof document !== "undefined";

/**
 * The islands this page's scripts brought, by name. Each island is its own browser entry
 * (scripts/build.ts); loading it registers the component here, and lib/client.ts, the last
 * script of the page, hydrates the markers from this registry.
 */
// deno-lint-ignore no-explicit-any
export const islandRegistry = new Map<string, ComponentType<any>>();

export function island<P extends Record<string, unknown>>(
  name: string,
  Component: ComponentType<P>,
): ComponentType<P> {
  function Island(props: P) {
    if (IS_BROWSER) return h(Component, props);
    return h(
      "renova-island",
      // A class, not a style attribute: the CSP allows no inline style attributes.
      { "data-island": name, "data-props": JSON.stringify(props), class: "contents" },
      h(Component, props),
    );
  }
  Island.displayName = `Island(${name})`;
  if (IS_BROWSER) islandRegistry.set(name, Island);
  return Island;
}
