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
 * Brotli quality for answers made per request. CompressionStream("brotli") has no quality
 * option and spent ~7 ms of CPU on a 20 KB customer page, half of an uncached render (issue
 * #21); quality 4 takes under a millisecond for a result about 6% larger.
 */
export const BROTLI_QUALITY = 4;
/** Bigger answers (none of the rendered pages) are compressed as a stream, not in memory. */
const BUFFER_MAX = 1024 * 1024;

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

function acceptsBrotli(header: string | undefined): boolean {
  if (!header) return false;
  for (const part of header.split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (name.trim() !== "br") continue;
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

/** Brotli where accepted, else gzip/deflate (Hono's), on what may be compressed. */
export const compression: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  if (staffDynamic(c)) return;
  const res = c.res;
  if (
    BROTLI_AVAILABLE && acceptsBrotli(c.req.header("Accept-Encoding")) &&
    c.req.method !== "HEAD" && res.status !== 206 && res.body &&
    !res.headers.has("Content-Encoding") && compressible(res) &&
    !/(?:^|,)\s*no-transform\s*(?:,|$)/i.test(res.headers.get("Cache-Control") ?? "") &&
    Number(res.headers.get("Content-Length") ?? THRESHOLD) >= THRESHOLD
  ) {
    const length = Number(res.headers.get("Content-Length") ?? 0);
    if (length > BUFFER_MAX) {
      c.res = new Response(
        res.body.pipeThrough(new CompressionStream("brotli" as CompressionFormat)),
        res,
      );
      c.res.headers.delete("Content-Length");
    } else {
      const plain = new Uint8Array(await res.arrayBuffer());
      if (plain.length < THRESHOLD) {
        c.res = new Response(plain, res);
        return;
      }
      const body = zlib.brotliCompressSync(plain, {
        params: {
          [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
          [zlib.constants.BROTLI_PARAM_SIZE_HINT]: plain.length,
        },
      });
      c.res = new Response(body, res);
      c.res.headers.set("Content-Length", String(body.length));
    }
    c.res.headers.set("Content-Encoding", "br");
    c.res.headers.append("Vary", "Accept-Encoding");
    return;
  }
  // Hono's middleware, run on the answer already made (its own `next` has nothing left to do).
  await gzipOrDeflate(c, () => Promise.resolve());
};
