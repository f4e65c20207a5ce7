// Builds what a renewal verb runs with from the request: one environment per request (the
// store and the server's settings) and the actor (the signed-in staff user, or the customer
// of the link's case).
import type { Ctx } from "./route.ts";
import type { CustomerCtx, RenewalEnv, StaffCtx } from "../services/renewals/env.ts";
import { customerActor } from "../domain/actor.ts";
import { actorOf, originOf } from "./actor.ts";

export function baseUrl(c: Ctx): string {
  return c.get("config").origin ?? new URL(c.req.url).origin;
}

/** The request's renewal environment, built on first use and shared by every verb after. */
export function renewalEnv(c: Ctx): RenewalEnv {
  const built = c.get("renewalEnv");
  if (built) return built;
  const config = c.get("config");
  const env: RenewalEnv = {
    db: c.get("db"),
    provider: config.provider,
    providerName: config.provider.name,
    baseUrl: baseUrl(c),
    linkTtlDays: config.linkTtlDays,
    declineCoolOffDays: config.declineCoolOffDays,
    linkAfterEndDays: config.linkAfterEndDays,
    signingP12: config.signingP12,
  };
  c.set("renewalEnv", env);
  return env;
}

export function staffCtx(c: Ctx): StaffCtx {
  return { ...renewalEnv(c), actor: actorOf(c) };
}

export function customerCtx(c: Ctx, caseId: string): CustomerCtx {
  return { ...renewalEnv(c), actor: customerActor(caseId, originOf(c)) };
}

/** The `rev` a form carried, if any (a version check is skipped only when absent). */
export function revOf(f: Record<string, string>): number | undefined {
  const n = Number(f.rev);
  return f.rev && Number.isInteger(n) ? n : undefined;
}
