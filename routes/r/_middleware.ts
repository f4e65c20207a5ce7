// Customer token pages: the token is in the URL, so it must never travel as a referrer, and no
// cache (browser, proxy or service worker) may keep these pages.
import type { MiddlewareHandler } from "hono";
import { type AppEnv, setResponseHeader } from "../../lib/route.ts";

const middleware: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  setResponseHeader(c, "Referrer-Policy", "no-referrer");
  setResponseHeader(c, "Cache-Control", "no-store, private");
  setResponseHeader(c, "X-Robots-Tag", "noindex, nofollow");
};

export default middleware;
