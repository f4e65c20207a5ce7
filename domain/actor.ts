// Who acts: a staff user with a role, the customer of a case, or the system. Every verb takes one
// Actor and derives what it may do from it, so no caller passes a separate "kind" that could
// disagree with the person.
import type { ActorKind } from "./steps.ts";

export const ROLES = ["admin", "supervisor", "attendant"] as const;
export type Role = typeof ROLES[number];

/** Where the request came from, for the audit trail. */
interface Origin {
  ip?: string;
  userAgent?: string;
  /** The form submission this request carries (services/submissions.ts). */
  submission?: string;
}

export interface StaffActor extends Origin {
  type: "staff";
  id: `user:${string}`;
  userId: string;
  name: string;
  role: Role;
}

export interface CustomerActor extends Origin {
  type: "customer";
  /** "customer:<caseId>" on the link's pages; "customer:<customerId>" for a reply by message. */
  id: `customer:${string}`;
  name: string;
}

export interface SystemActor extends Origin {
  type: "system";
  id: "system";
  /** What ran, e.g. "Sistema" or "Importação (linha de comando)". */
  name: string;
}

export type Actor = StaffActor | CustomerActor | SystemActor;

export const SYSTEM: SystemActor = { type: "system", id: "system", name: "Sistema" };

export function staffActor(
  user: { id: string; name: string; role: Role },
  origin: Origin = {},
): StaffActor {
  return {
    type: "staff",
    id: `user:${user.id}`,
    userId: user.id,
    name: user.name,
    role: user.role,
    ...origin,
  };
}

export function customerActor(
  of: string,
  origin: Origin = {},
  name = "Cliente",
): CustomerActor {
  return { type: "customer", id: `customer:${of}`, name, ...origin };
}

export function systemActor(name = "Sistema"): SystemActor {
  return { type: "system", id: "system", name };
}

/**
 * The policy's view of an actor: attendants act as "staff" (only on their own cases);
 * supervisors and admins as "supervisor" (on any case).
 */
export function actorKind(a: Actor): ActorKind {
  if (a.type === "staff") return a.role === "attendant" ? "staff" : "supervisor";
  return a.type;
}

/** The part of an actor the audit trail keeps: who, with what role, from where. */
export interface AuditedActor {
  id: string;
  name: string;
  role?: Role;
  ip?: string;
  userAgent?: string;
  submission?: string;
}

export function auditedActor(a: Actor): AuditedActor {
  const { id, name, ip, userAgent, submission } = a;
  const out: AuditedActor = { id, name };
  if (a.type === "staff") out.role = a.role;
  if (ip !== undefined) out.ip = ip;
  if (userAgent !== undefined) out.userAgent = userAgent;
  if (submission !== undefined) out.submission = submission;
  return out;
}
