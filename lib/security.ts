// Sign-in state and request guards: session loading, the per-route access rule, CSRF.
import type { MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { csrf } from "hono/csrf";
import { HTTPException } from "hono/http-exception";
import type { Access, AppEnv, Ctx } from "./route.ts";
import { readSession, type SessionPolicy } from "../services/sessions.ts";
import { getUser, publicUser } from "../services/users.ts";
import { safeEqual } from "../services/crypto.ts";
import { AppError, ForbiddenError } from "../services/errors.ts";
import type { AppConfig } from "../app.config.ts";
import { parseFormBody } from "./form.ts";

export const SESSION_COOKIE = "renova_session";
const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

export class UnauthenticatedError extends AppError {
  override status = 401;
  constructor() {
    super("Entre com seu usuário para continuar.");
  }
}

export class CsrfError extends AppError {
  override status = 403;
  constructor() {
    super("Sua sessão de formulário expirou. Recarregue a página e tente de novo.");
  }
}

export function sessionPolicy(config: AppConfig): SessionPolicy {
  return {
    idleMs: config.sessionIdleMinutes * 60_000,
    absoluteMs: config.sessionAbsoluteHours * 3600_000,
  };
}

function isHttps(c: Ctx): boolean {
  const origin = c.get("config").origin ?? new URL(c.req.url).origin;
  return origin.startsWith("https:");
}

export function setSessionCookie(c: Ctx, token: string) {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "Lax",
    secure: isHttps(c),
    path: "/",
    maxAge: c.get("config").sessionAbsoluteHours * 3600,
  });
}

export function clearSessionCookie(c: Ctx) {
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: isHttps(c) });
}

/** Loads the signed-in staff user, if any. Inactive users lose their session at once. */
export const loadSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  const token = getCookie(c, SESSION_COOKIE);
  if (token) {
    const db = c.get("db");
    const session = await readSession(db, token, sessionPolicy(c.get("config")));
    const user = session ? await getUser(db, session.userId) : null;
    if (session && user?.active) {
      c.set("session", session);
      c.set("sessionToken", token);
      c.set("user", publicUser(user));
    }
  }
  await next();
};

/** The origin our pages are served from (the configured public one behind a proxy). */
const ourOrigin = (c: Ctx) => c.get("config").origin ?? new URL(c.req.url).origin;

/**
 * Hono's built-in Origin check: a state change passes when the browser says Sec-Fetch-Site:
 * same-origin (no page script can forge it; the customer's pages, sent with no-referrer, post
 * with "Origin: null") or the Origin is ours. A missing header on both is refused.
 */
const honoOriginCheck = csrf({
  origin: (origin, c) => origin === ourOrigin(c),
  secFetchSite: "same-origin",
});

/** The content types Hono's check covers: what a cross-site <form> can send. */
const FORM_LIKE =
  /^\b(application\/x-www-form-urlencoded|multipart\/form-data|text\/(?:plain|ping))\b/i;

/**
 * Every state change must come from our own pages. Forms go through Hono's csrf(); other
 * bodies (the offline outbox's JSON), which Hono lets through, get the same rule here.
 */
export const originCheck: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (SAFE.has(c.req.method) || c.req.path.startsWith("/webhooks/")) return await next();
  if (!FORM_LIKE.test(c.req.header("content-type") || "text/plain")) {
    const sameSite = c.req.header("sec-fetch-site") === "same-origin";
    if (!sameSite && c.req.header("origin") !== ourOrigin(c)) throw new CsrfError();
    return await next();
  }
  let passed = false;
  try {
    await honoOriginCheck(c, () => Promise.resolve(void (passed = true)));
  } catch (e) {
    if (e instanceof HTTPException && e.status === 403) throw new CsrfError();
    throw e;
  }
  if (passed) await next();
};

async function submittedCsrf(c: Ctx): Promise<string> {
  const header = c.req.header("x-csrf-token");
  if (header) return header;
  const type = c.req.header("content-type") ?? "";
  if (type.includes("form")) {
    const body = await parseFormBody(c);
    return typeof body._csrf === "string" ? body._csrf : "";
  }
  return "";
}

/** The route's access rule, plus the session's synchronizer token on every state change. */
export function guard(access: Access): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (access !== "public") {
      const user = c.get("user");
      if (!user) {
        if (c.req.method === "GET" && !wantsJson(c)) {
          const nextUrl = new URL(c.req.url);
          return c.redirect(`/login?next=${encodeURIComponent(nextUrl.pathname + nextUrl.search)}`);
        }
        throw new UnauthenticatedError();
      }
      if (!access.includes(user.role)) throw new ForbiddenError();
      if (!SAFE.has(c.req.method)) {
        const sent = await submittedCsrf(c);
        if (!sent || !safeEqual(sent, c.get("session")!.csrf)) throw new CsrfError();
      }
    }
    await next();
  };
}

export function wantsJson(c: Ctx): boolean {
  return (c.req.header("accept") ?? "").includes("application/json") &&
    !(c.req.header("accept") ?? "").includes("text/html");
}
