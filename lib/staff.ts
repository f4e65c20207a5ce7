// Builds the service contexts for staff and customer requests from the request.
import type { Ctx } from "./route.ts";
import type { StaffCtx } from "../services/renewals/staff_actions.ts";
import type { CustomerCtx } from "../services/renewals/customer_actions.ts";
import { actorOf } from "./actor.ts";

export function baseUrl(c: Ctx): string {
  return c.get("config").origin ?? new URL(c.req.url).origin;
}

export function staffCtx(c: Ctx): StaffCtx {
  const config = c.get("config");
  return {
    db: c.get("db"),
    actor: actorOf(c),
    kind: c.get("user")?.role === "attendant" ? "staff" : "supervisor",
    baseUrl: baseUrl(c),
    linkTtlDays: config.linkTtlDays,
    linkAfterEndDays: config.linkAfterEndDays,
    providerName: config.provider.name,
    provider: config.provider,
    signingP12: config.signingP12,
  };
}

export function signingEnv(c: Ctx) {
  const config = c.get("config");
  return {
    db: c.get("db"),
    provider: config.provider,
    signingP12: config.signingP12,
    baseUrl: baseUrl(c),
  };
}

export function customerCtx(c: Ctx, caseId: string): CustomerCtx {
  return {
    db: c.get("db"),
    actor: {
      id: `customer:${caseId}`,
      name: "Cliente",
      ip: c.get("ip"),
      userAgent: c.req.header("user-agent")?.slice(0, 300),
      submission: c.get("submission"),
    },
    provider: c.get("config").provider,
    linkAfterEndDays: c.get("config").linkAfterEndDays,
  };
}

/** The `rev` a form carried, if any (a version check is skipped only when absent). */
export function revOf(f: Record<string, string>): number | undefined {
  const n = Number(f.rev);
  return f.rev && Number.isInteger(n) ? n : undefined;
}
