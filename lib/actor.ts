import type { Ctx } from "./route.ts";
import type { Actor } from "../services/audit.ts";
import { isSubmissionId } from "../services/submissions.ts";

/** Who is acting on this request, for audit events: the staff user with IP and user agent. */
export function actorOf(c: Ctx): Actor {
  const u = c.get("user");
  return {
    id: u ? `user:${u.id}` : "anonymous",
    name: u?.name ?? "Anônimo",
    ip: c.get("ip"),
    userAgent: c.req.header("user-agent")?.slice(0, 300),
    submission: c.get("submission"),
  };
}

/** Keeps the form's submission id for the actor (a repeated form answers like the first). */
export function noteSubmission(c: Ctx, value: unknown) {
  if (isSubmissionId(value)) c.set("submission", value);
}
