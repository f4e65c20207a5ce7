// Ceilings of the uncached customer page (issue #21, bench:scale --ceilings): the same app,
// middleware and route middleware answering the page's own gzip bytes, after none, one or all
// of the page's store reads. Each is what an uncached page could reach if rendering and
// compressing cost nothing, so a target above a ceiling cannot be met by cutting those.
//   fixed: no read at all (Hono, the app's middleware, the answer's headers and bytes)
//   link:  the link lookup every customer request needs (token hash, miss counters, link)
//   data:  the link and everything the page shows (case, plans, invoices, payment, customer)
import type { App } from "../../lib/app.ts";
import { linkOfToken, loadCustomer } from "../../routes/r/[token]/_page.tsx";

export const CEILINGS = ["fixed", "link", "data"] as const;
export type Ceiling = typeof CEILINGS[number];

/** The ceilings' path for a token: `/r/TOKEN/ceiling/CUT` (under the customer middleware). */
export function ceilingPath(token: string, cut: Ceiling): string {
  return `/r/${token}/ceiling/${cut}`;
}

/**
 * Adds the ceiling routes to a freshly made app (Hono takes no routes after its first answer);
 * the returned function then reads the real page once to keep its bytes and style hash.
 */
export function addCeilingRoutes(app: App): (token: string) => Promise<void> {
  let page: { bytes: Uint8Array<ArrayBuffer>; styleHash?: string } | undefined;
  app.get("/r/:token/ceiling/:cut", async (c) => {
    const cut = c.req.param("cut") as Ceiling;
    if (!page || !CEILINGS.includes(cut)) return c.text("ceiling not ready", 500);
    if (cut !== "fixed") {
      const link = await linkOfToken(c);
      if (cut === "data") await loadCustomer(c, link.caseId);
    }
    c.set("styleHash", page.styleHash);
    return c.body(page.bytes, 200, {
      "Content-Type": "text/html; charset=UTF-8",
      "Content-Length": String(page.bytes.length),
      "Content-Encoding": "gzip",
      "Vary": "Accept-Encoding",
    });
  });
  return async (token) => {
    const res = await app.fetch(
      new Request(`http://127.0.0.1/r/${token}`, { headers: { "Accept-Encoding": "gzip" } }),
      { remoteAddr: { hostname: "127.0.0.1" } },
    );
    if (res.status !== 200 || res.headers.get("Content-Encoding") !== "gzip") {
      throw new Error(`customer page for the ceilings: ${res.status}`);
    }
    const styleHash = res.headers.get("Content-Security-Policy")?.match(/'(sha256-[^']+)'/)?.[1];
    page = { bytes: new Uint8Array(await res.arrayBuffer()), styleHash };
  };
}
