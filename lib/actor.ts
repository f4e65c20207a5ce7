import type { Ctx } from "./route.ts";
import { type StaffActor, staffActor } from "../domain/actor.ts";
import { isSubmissionId } from "../services/submissions.ts";
import { ForbiddenError } from "../services/errors.ts";

/** Where the request came from, for audit events: IP, user agent and the form's submission. */
export function originOf(c: Ctx) {
  return {
    ip: c.get("ip"),
    userAgent: c.req.header("user-agent")?.slice(0, 300),
    submission: c.get("submission"),
  };
}

/**
 * The signed-in staff user acting on this request. Only staff routes call it, behind their
 * access rule; a request without a user is refused rather than audited as nobody.
 */
export function actorOf(c: Ctx): StaffActor {
  const u = c.get("user");
  if (!u) throw new ForbiddenError("Entre com seu usuário para continuar.");
  return staffActor(u, originOf(c));
}

/** Keeps the form's submission id for the actor (a repeated form answers like the first). */
export function noteSubmission(c: Ctx, value: unknown) {
  if (isSubmissionId(value)) c.set("submission", value);
}
