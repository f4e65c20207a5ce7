// Server rendering: Preact to string, then twind extracts only the CSS this response uses.
import type { ComponentChildren, VNode } from "preact";
import { renderToString } from "preact-render-to-string";
import { createHash } from "node:crypto";
import { consume, stringify, twind, virtual } from "@twind/core";
import { twindConfig } from "../app.config.ts";
import { islandClassesByIsland } from "../twind_safelist.gen.ts";
import { Layout } from "../components/Layout.tsx";
import type { Ctx } from "./route.ts";
import { islandScripts } from "./assets.ts";
import { htmlAnswer } from "./compress.ts";

const tw = twind(twindConfig, virtual());

// CSS by the set of classes a page uses: pages of one kind share it, and generating it is the
// costliest part of a render. Bounded, oldest entry dropped first.
const cssCache = new Map<string, { css: string; hash: string }>();
const CSS_CACHE_MAX = 500;

// The key is the page's distinct class attributes in order of appearance: pages of one kind
// repeat it exactly, and collecting whole attribute values costs a fraction of splitting and
// sorting every class (a page whose attributes differ only in order gets its own entry).
function classSet(html: string): string {
  const seen = new Set<string>();
  let at = html.indexOf(' class="');
  while (at >= 0) {
    const start = at + 8;
    const end = html.indexOf('"', start);
    if (end < 0) break;
    seen.add(html.slice(start, end));
    at = html.indexOf(' class="', end);
  }
  return [...seen].join("\n");
}

/** The islands a page renders, by their markers, in order (a name once). */
function islandNames(html: string): string[] {
  return [...new Set([...html.matchAll(MARKER)].map((m) => m[1]))];
}

/**
 * Render HTML and the CSS for exactly the classes in it, plus the classes its islands may add
 * in the browser (only the islands it renders: twind_safelist.gen.ts, by island).
 */
export function renderWithCss(
  vnode: VNode,
): { html: string; css: string; hash: string; islands: string[] } {
  const html = renderToString(vnode);
  const islands = islandNames(html);
  const key = `${islands.join(",")}\n${classSet(html)}`;
  let entry = cssCache.get(key);
  if (entry === undefined) {
    tw.clear();
    consume(html, tw);
    for (const name of islands) for (const cls of islandClassesByIsland[name] ?? []) tw(cls);
    const css = stringify(tw.target);
    // The CSP allows this inline stylesheet by its hash (no 'unsafe-inline': lib/headers.ts).
    const hash = `sha256-${createHash("sha256").update(css).digest("base64")}`;
    entry = { css, hash };
    if (cssCache.size >= CSS_CACHE_MAX) cssCache.delete(cssCache.keys().next().value!);
    cssCache.set(key, entry);
  }
  return { html, ...entry, islands };
}

export interface PageOptions {
  title: string;
  status?: number;
  /** Staff pages show the navigation; customer pages do not. */
  nav?: boolean;
}

/** The whole HTML document of a page (what `page` sends; the page cache keeps it). */
export function pageDocument(c: Ctx, opts: PageOptions, body: ComponentChildren): string {
  const user = c.get("user");
  const session = c.get("session");
  const vnode = (
    <Layout
      title={opts.title}
      user={opts.nav === false ? undefined : user}
      csrf={session?.csrf}
      sessionEndsAt={session?.absoluteExpiresAt}
      path={new URL(c.req.url).pathname}
    >
      {body}
    </Layout>
  );
  const { html, css, hash, islands } = renderWithCss(vnode);
  c.set("styleHash", hash);
  return "<!DOCTYPE html>" +
    html
      .replace("</head>", `<style data-twind>${css}</style></head>`)
      .replace("</body>", `${islandTags(islands)}</body>`);
}

const MARKER = /<renova-island data-island="([A-Za-z0-9_]+)"/g;

/**
 * The scripts of the islands this page renders, and only those (lib/assets.ts): module scripts
 * never block the first paint; the chunks they import are preloaded in the same round trip.
 */
function islandTags(names: string[]): string {
  if (!names.length) return "";
  const { scripts, preload } = islandScripts(names);
  return preload.map((href) => `<link rel="modulepreload" href="${href}">`).join("") +
    scripts.map((src) => `<script type="module" src="${src}"></script>`).join("");
}

export function page(c: Ctx, opts: PageOptions, body: ComponentChildren): Response {
  return htmlAnswer(c, { html: pageDocument(c, opts, body) }, opts.status);
}

// The form reader lives in lib/form.ts (length bounds); re-exported for the routes using it.
export { formFields } from "./form.ts";
