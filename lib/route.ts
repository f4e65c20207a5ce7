// Route modules: every file under routes/ default-exports define({...}) with its access rule
// and one handler per HTTP method. The access rule is mandatory: the router refuses a route
// without one, so nothing is public by accident.
import type { Context, Handler } from "hono";
import type { AppConfig } from "../app.config.ts";
import type { Db } from "../services/db.ts";
import type { PublicUser } from "../services/users.ts";
import type { Role } from "../domain/actor.ts";
import type { Session } from "../services/sessions.ts";
import type { PageCache } from "./page_cache.ts";
import type { RenewalEnv } from "../services/renewals/env.ts";

export type Access = "public" | readonly Role[];

export interface AppEnv {
  Variables: {
    db: Db;
    config: AppConfig;
    requestId: string;
    ip: string;
    user?: PublicUser;
    session?: Session;
    sessionToken?: string;
    routePath?: string;
    /** CSP source of this page's inline stylesheet ('sha256-…'), set when a page renders. */
    styleHash?: string;
    /** Rendered customer pages (lib/page_cache.ts); absent when PAGE_CACHE_ENTRIES=0. */
    pageCache?: PageCache;
    /** The form's submission id (hidden `_sub`; services/submissions.ts), once parsed. */
    submission?: string;
    /** The renewal verbs' environment, built once per request (lib/staff.ts renewalEnv). */
    renewalEnv?: RenewalEnv;
  };
}

export type Ctx = Context<AppEnv>;

/**
 * Sets a header on the response a handler already made (the after-part of a middleware).
 * Hono's c.header() would rebuild the Response around its body stream on every call, which
 * costs a copy per header and turns a text body into a stream (no fast path in Deno.serve).
 * Headers of a response from fetch() or Response.redirect() are immutable: then c.header().
 */
export function setResponseHeader(c: Ctx, name: string, value: string) {
  try {
    c.res.headers.set(name, value);
  } catch {
    c.header(name, value);
  }
}
export type RouteHandler = Handler<AppEnv>;

export const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type Method = typeof METHODS[number];

export type RouteDef = { access: Access } & Partial<Record<Method, RouteHandler>>;

export function define<T extends RouteDef>(def: T): T {
  return def;
}

export const STAFF: readonly Role[] = ["admin", "supervisor", "attendant"];
export const MANAGERS: readonly Role[] = ["admin", "supervisor"];
export const ADMINS: readonly Role[] = ["admin"];
