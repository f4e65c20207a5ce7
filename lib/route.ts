// Route modules: every file under routes/ default-exports define({...}) with its access rule
// and one handler per HTTP method. The access rule is mandatory: the router refuses a route
// without one, so nothing is public by accident.
import type { Context, Handler } from "hono";
import type { AppConfig } from "../app.config.ts";
import type { Db } from "../services/db.ts";
import type { PublicUser, Role } from "../services/users.ts";
import type { Session } from "../services/sessions.ts";
import type { Translate } from "./i18n.ts";

export type Access = "public" | readonly Role[];

export interface AppEnv {
  Variables: {
    db: Db;
    config: AppConfig;
    requestId: string;
    ip: string;
    t: Translate;
    user?: PublicUser;
    session?: Session;
    sessionToken?: string;
    routePath?: string;
  };
}

export type Ctx = Context<AppEnv>;
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
