// Applies to every route: security headers. Pages are personal, so nothing is cached by
// shared caches, and no page may be framed (clickjacking) or leak its URL as a referrer.
import type { MiddlewareHandler } from "hono";
import { type AppEnv, setResponseHeader } from "../lib/route.ts";

const middleware: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  // Inner folders' middleware runs its after-part first; keep what they set.
  const setDefault = (name: string, value: string) => {
    if (!c.res.headers.has(name)) setResponseHeader(c, name, value);
  };
  setDefault("X-Content-Type-Options", "nosniff");
  setDefault("X-Frame-Options", "DENY");
  setDefault("Referrer-Policy", "same-origin");
  setDefault(
    "Content-Security-Policy",
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; " +
      "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; " +
      "form-action 'self'",
  );
  setDefault("Cache-Control", "no-store");
};

export default middleware;
