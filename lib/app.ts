// Builds the Hono app from the generated manifest: request context and logging, compression,
// errors, body limits, static files, sessions, the Origin check, then every route behind its guard.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { type AppConfig, MAX_BODY_BYTES } from "../app.config.ts";
import type { Db } from "../services/db.ts";
import { type Access, type AppEnv, METHODS, type RouteDef, setResponseHeader } from "./route.ts";
import { guard, loadSession, originCheck } from "./security.ts";
import { errorResponse } from "./http_errors.tsx";
import { serveStaticFile } from "./static.ts";
import { loadAssetManifest } from "./assets.ts";
import { compression } from "./compress.ts";
import { securityHeaders } from "./headers.ts";
import { PageCache } from "./page_cache.ts";
import { NotFoundError, TooLargeError } from "../services/errors.ts";
import { ID_MAX } from "../services/text.ts";
import { ulid } from "../services/ulid.ts";
import { clientIp } from "./client_ip.ts";
import * as manifest from "../routes.gen.ts";

export interface RouteEntry {
  path: string;
  method: string;
  access: Access;
  file: string;
}

/** The route table: every path and method with its access rule (walked by the auth test). */
export function routeTable(): RouteEntry[] {
  const out: RouteEntry[] = [];
  for (const r of manifest.routes) {
    const def = r.module as RouteDef;
    for (const m of METHODS) {
      if (def[m]) out.push({ path: r.path, method: m, access: def.access, file: r.file });
    }
  }
  return out;
}

export interface ConnInfo {
  remoteAddr?: { hostname?: string };
}

export function createApp(db: Db, config: AppConfig, opts: { pageCache?: PageCache } = {}) {
  const app = new Hono<AppEnv>();
  // The build's fingerprinted asset names (static/build/assets.json), read once at start.
  loadAssetManifest();
  const pageCache = opts.pageCache ??
    (config.pageCacheEntries > 0 ? new PageCache(config.pageCacheEntries, db) : undefined);

  app.use("*", async (c, next) => {
    const started = performance.now();
    c.set("db", db);
    c.set("config", config);
    if (pageCache) c.set("pageCache", pageCache);
    c.set("requestId", ulid());
    c.set(
      "ip",
      clientIp({
        xff: c.req.header("x-forwarded-for"),
        peer: (c.env as ConnInfo | undefined)?.remoteAddr?.hostname,
        trustProxy: config.trustProxy,
        hops: config.trustedProxyHops,
        proxies: config.trustedProxies,
      }),
    );
    await next();
    setResponseHeader(c, "X-Request-Id", c.get("requestId"));
    if (config.logRequests) {
      console.log(JSON.stringify({
        t: new Date().toISOString(),
        id: c.get("requestId"),
        method: c.req.method,
        route: c.get("routePath") ?? c.req.path.replace(/^\/r\/[^/]+/, "/r/:token"),
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
      }));
    }
  });
  // Wraps everything that answers, error pages and static files included (lib/compress.ts).
  app.use("*", compression);
  // Before anything that answers (errors, static files, guards): every response gets them.
  app.use("*", securityHeaders);
  app.onError((err, c) => errorResponse(err, c));
  app.notFound((c) =>
    manifest.notFound ? (manifest.notFound as (c: unknown) => Response)(c) : c.text("404", 404)
  );
  app.use(
    "*",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new TooLargeError("O envio passou do limite de 12 MB.");
      },
    }),
  );

  app.get("/static/*", (c) => serveStaticFile(c, c.req.path.slice("/static/".length)));
  app.get("/favicon.ico", (c) => serveStaticFile(c, "favicon.ico"));

  app.use("*", loadSession);
  app.use("*", originCheck);
  for (const mw of manifest.middlewares) {
    const pattern = mw.prefix === "/" ? "*" : `${mw.prefix}/*`;
    app.use(pattern, mw.module as Parameters<typeof app.use>[1]);
  }

  const seen = new Set<string>();
  for (const r of manifest.routes) {
    const def = r.module as RouteDef;
    if (!def || (def.access !== "public" && !Array.isArray(def.access))) {
      throw new Error(`${r.file}: a route must declare access ("public" or a list of roles)`);
    }
    for (const m of METHODS) {
      const handler = def[m];
      if (!handler) continue;
      const key = `${m} ${r.path}`;
      if (seen.has(key)) throw new Error(`route declared twice: ${key}`);
      seen.add(key);
      app.on(
        m,
        r.path,
        async (c, next) => {
          c.set("routePath", r.path);
          // Path ids are short (ULIDs, 43-character links): a longer one names nothing, and
          // must not reach KV as a key part (over 2 KB: "key too large", a 500).
          for (const v of Object.values(c.req.param() as Record<string, string>)) {
            if (v.length > ID_MAX) throw new NotFoundError();
          }
          await next();
        },
        guard(def.access),
        handler,
      );
    }
  }
  return app;
}

export type App = ReturnType<typeof createApp>;
