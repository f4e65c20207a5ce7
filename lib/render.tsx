// Server rendering: Preact to string, then twind extracts only the CSS this response uses.
import type { ComponentChildren, VNode } from "preact";
import { renderToString } from "preact-render-to-string";
import { consume, stringify, twind, virtual } from "@twind/core";
import { twindConfig, twindSafelist } from "../app.config.ts";
import { Layout } from "../components/Layout.tsx";
import type { Ctx } from "./route.ts";

const tw = twind(twindConfig, virtual());

/** Render HTML and the CSS for exactly the classes in it (plus the islands' safelist). */
export function renderWithCss(vnode: VNode): { html: string; css: string } {
  const raw = renderToString(vnode);
  tw.clear();
  const html = consume(raw, tw);
  for (const cls of twindSafelist) tw(cls);
  return { html, css: stringify(tw.target) };
}

export interface PageOptions {
  title: string;
  status?: number;
  /** Staff pages show the navigation; customer pages do not. */
  nav?: boolean;
}

export function page(c: Ctx, opts: PageOptions, body: ComponentChildren): Response {
  const user = c.get("user");
  const session = c.get("session");
  const vnode = (
    <Layout
      title={opts.title}
      t={c.get("t")}
      user={opts.nav === false ? undefined : user}
      csrf={session?.csrf}
      path={new URL(c.req.url).pathname}
    >
      {body}
    </Layout>
  );
  const { html, css } = renderWithCss(vnode);
  const withIslands = html.includes("<renova-island");
  const doc = "<!DOCTYPE html>" +
    html
      .replace("</head>", `<style data-twind>${css}</style></head>`)
      .replace(
        "</body>",
        withIslands
          ? `<script type="module" src="/static/build/islands.js"></script></body>`
          : "</body>",
      );
  return c.html(doc, (opts.status ?? 200) as 200);
}

/** Reads a form's fields as strings (files excluded) — the common case for thin routes. */
export async function formFields(c: Ctx): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === "string") out[k] = v;
  return out;
}
