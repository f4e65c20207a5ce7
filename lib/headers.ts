// Security headers on every response the app makes — pages, errors, redirects and static files
// (registered first in lib/app.ts, so nothing answers without them). Pages are personal, so
// nothing is cached by shared caches, and no page may be framed (clickjacking) or leak its URL
// as a referrer. Inner folders' middleware (routes/r/_middleware.ts) runs its after-part
// first; what it set is kept.
import type { MiddlewareHandler } from "hono";
import { type AppEnv, setResponseHeader } from "./route.ts";

/** A year, subdomains included: only sent when the public origin is https. */
const HSTS = "max-age=31536000; includeSubDomains";

/**
 * No 'unsafe-inline' for styles: the one inline stylesheet, the CSS twind extracted for this
 * page (lib/render.tsx), is allowed by its SHA-256; style attributes are not allowed at all.
 */
export function contentSecurityPolicy(styleHash?: string): string {
  return "default-src 'self'; img-src 'self' data: blob:; " +
    `style-src 'self'${styleHash ? ` '${styleHash}'` : ""}; ` +
    "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; " +
    "form-action 'self'; object-src 'none'";
}

export const securityHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  const setDefault = (name: string, value: string) => {
    if (!c.res.headers.has(name)) setResponseHeader(c, name, value);
  };
  setDefault("X-Content-Type-Options", "nosniff");
  setDefault("X-Frame-Options", "DENY");
  setDefault("Referrer-Policy", "same-origin");
  setDefault("Content-Security-Policy", contentSecurityPolicy(c.get("styleHash")));
  setDefault("Cache-Control", "no-store");
  if (c.get("config").origin?.startsWith("https:")) setDefault("Strict-Transport-Security", HSTS);
};
