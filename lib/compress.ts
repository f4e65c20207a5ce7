// Response compression. Hono's own middleware (hono/compress: gzip or deflate, responses of
// 1 KB or more, compressible types only) does the work; Deno's CompressionStream also knows
// "brotli" (checked on Deno 2.9), so a client that accepts br gets it from the same filter.
// Never compressed: server-sent events (text/event-stream, also live updates must not wait
// for a compressor's buffer), PDFs and images (already compressed), HEAD and 206 answers.
// BREACH (docs/security.md): a signed-in staff member's pages and JSON carry the CSRF token
// (or personal data) next to text an outsider can put in the URL (search terms), and the
// session cookie rides on a cross-site top-level navigation (SameSite=Lax), so their dynamic
// answers go uncompressed. Customer pages are compressed: the only secret they hold is the
// link token, which is also the URL, so no outsider can make the browser fetch one.
import type { MiddlewareHandler } from "hono";
import { compress, COMPRESSIBLE_CONTENT_TYPE_REGEX } from "hono/compress";
import zlib from "node:zlib";
import type { AppEnv } from "./route.ts";

const THRESHOLD = 1024;
/**
 * Rendered answers (pages, small JSON, CSS) go gzip in one piece when the client takes gzip,
 * even if it also takes br: a 20 KB customer page gzips natively in ~0.6 ms to within 2% of
 * brotli quality 4, which took ~3 ms, and CompressionStream("brotli") (no quality option) ~7
 * ms, half of an uncached render (issue #21). Static files carry their own precompressed brotli.
 */
const BUFFER_MAX = 1024 * 1024;
/**
 * zlib level 2 (deflate's fast strategy) instead of the default 6: on the customer pages
 * (15–19 KB raw) it takes 70–110 µs instead of 110–195 µs per answer for 6–7% more bytes
 * (3,840 against 3,595 for the plans step: ~1.5 ms at 1.6 Mbps). Levels measured in
 * docs/benchmarks.md (issue #21, fourth pass).
 */
export const GZIP_LEVEL = 2;
/** Files under /static/ keep zlib's default: a browser fetches each once (immutable names), so
 * bytes count more than the server's CPU there. */
const STATIC_GZIP_LEVEL = 6;

/** Whether Deno's CompressionStream can make brotli here (a future runtime may lack it). */
export const BROTLI_AVAILABLE = (() => {
  try {
    new CompressionStream("brotli" as CompressionFormat);
    return true;
  } catch {
    return false;
  }
})();

function compressible(res: Response): boolean {
  const type = res.headers.get("Content-Type");
  return !!type && COMPRESSIBLE_CONTENT_TYPE_REGEX.test(type);
}

function accepts(header: string | undefined, encoding: string): boolean {
  if (!header) return false;
  for (const part of header.split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (name.trim() !== encoding) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    return q === undefined || Number(q.slice(2)) > 0;
  }
  return false;
}

/** Signed-in staff answers that may carry a secret next to attacker-chosen text (BREACH). */
function staffDynamic(c: Parameters<MiddlewareHandler<AppEnv>>[0]): boolean {
  return !!c.get("session") && !c.req.path.startsWith("/static/");
}

const gzipOrDeflate = compress({ threshold: THRESHOLD });

/** Whether a rendered answer to this request would leave the middleware gzipped (a GET the
 * client takes gzip for, not a signed-in staff answer). */
function takesGzip(c: Parameters<MiddlewareHandler<AppEnv>>[0]): boolean {
  return c.req.method === "GET" && !staffDynamic(c) &&
    accepts(c.req.header("Accept-Encoding"), "gzip");
}

/**
 * The answer for a rendered page: where the middleware would gzip it, gzipped here from the
 * string (the middleware then leaves it alone: no stream to read back, no second Response;
 * ~75 µs in a profile, ~3% of an uncached customer page end to end, issue #21), the
 * bytes kept in `doc.gzip` so a page kept in memory (lib/page_cache.ts) is compressed once and
 * its hits send them as they are; else the HTML as it is.
 */
export function htmlAnswer(
  c: Parameters<MiddlewareHandler<AppEnv>>[0],
  doc: { html: string; gzip?: Uint8Array },
  status = 200,
): Response {
  const code = status as 200;
  if (doc.html.length < THRESHOLD || !takesGzip(c)) return c.html(doc.html, code);
  doc.gzip ??= zlib.gzipSync(new TextEncoder().encode(doc.html), { level: GZIP_LEVEL });
  return c.body(doc.gzip as Uint8Array<ArrayBuffer>, code, {
    "Content-Type": "text/html; charset=UTF-8",
    "Content-Length": String(doc.gzip.length),
    "Content-Encoding": "gzip",
    "Vary": "Accept-Encoding",
  });
}

/** Gzip in one piece for rendered answers, else brotli where accepted, else Hono's. */
export const compression: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  if (staffDynamic(c)) return;
  const res = c.res;
  const accept = c.req.header("Accept-Encoding");
  const length = Number(res.headers.get("Content-Length") ?? THRESHOLD);
  const eligible = c.req.method !== "HEAD" && res.status !== 206 && !!res.body &&
    !res.headers.has("Content-Encoding") && compressible(res) &&
    !/(?:^|,)\s*no-transform\s*(?:,|$)/i.test(res.headers.get("Cache-Control") ?? "") &&
    length >= THRESHOLD;
  if (eligible && length <= BUFFER_MAX && accepts(accept, "gzip")) {
    const plain = new Uint8Array(await res.arrayBuffer());
    if (plain.length < THRESHOLD) {
      c.res = new Response(plain, res);
      return;
    }
    const level = c.req.path.startsWith("/static/") ? STATIC_GZIP_LEVEL : GZIP_LEVEL;
    const body = zlib.gzipSync(plain, { level });
    c.res = new Response(body, res);
    c.res.headers.set("Content-Length", String(body.length));
    c.res.headers.set("Content-Encoding", "gzip");
    c.res.headers.append("Vary", "Accept-Encoding");
    return;
  }
  if (eligible && BROTLI_AVAILABLE && accepts(accept, "br")) {
    c.res = new Response(
      res.body!.pipeThrough(new CompressionStream("brotli" as CompressionFormat)),
      res,
    );
    c.res.headers.delete("Content-Length");
    c.res.headers.set("Content-Encoding", "br");
    c.res.headers.append("Vary", "Accept-Encoding");
    return;
  }
  // Hono's middleware, run on the answer already made (its own `next` has nothing left to do).
  await gzipOrDeflate(c, () => Promise.resolve());
};
