// The contexts staff and customer verbs run in, and the lookups every renewal phase shares.
import type { Db } from "../db.ts";
import type { Actor, CustomerActor, StaffActor, SystemActor } from "../../domain/actor.ts";
import { NotFoundError } from "../errors.ts";
import { getCustomer } from "../customers.ts";
import type { RenewalCase } from "./cases.ts";
import type { ProviderInfo } from "../contract/terms.ts";
import { keys } from "../keys.ts";
import type { Contract } from "../contracts.ts";
import {
  currentLinkToken,
  LINK_AFTER_END_DAYS,
  linkKeptUntil,
  stageLinkKept,
  stageNewLink,
} from "./links.ts";

/**
 * What every renewal verb runs with, whoever acts: the store and the server's settings, built
 * once per request (lib/staff.ts renewalEnv). A verb's context is this plus who acts.
 */
export interface RenewalEnv {
  db: Db;
  provider: ProviderInfo;
  providerName: string;
  /** Public base URL for links in messages, e.g. https://renova.example.com. */
  baseUrl: string;
  linkTtlDays: number;
  /** Days an ended case's link stays open read-only (links.ts linkKeptUntil). */
  linkAfterEndDays?: number;
  signingP12?: { base64: string; passphrase: string };
  /** Days a refusal keeps a contract from being claimed (DEFAULT_DECLINE_COOLOFF_DAYS). */
  declineCoolOffDays?: number;
}

/** The environment with who acts; what they may do follows from the actor (actorKind). */
export interface ActingCtx<A extends Actor = Actor> extends RenewalEnv {
  actor: A;
}

export type StaffCtx = ActingCtx<StaffActor>;
export type CustomerCtx = ActingCtx<CustomerActor>;

/** Renova itself taking a staff move that needs no judgement (advance.ts, policy.ts `auto`). */
export type SystemCtx = ActingCtx<SystemActor>;

/** Who may take the steps Renova can also take itself: staff, or Renova. */
export type StepCtx = ActingCtx<StaffActor | SystemActor>;

export const firstName = (name: string) => name.split(" ")[0];

export async function customerOf(db: Db, c: RenewalCase) {
  const customer = await getCustomer(db, c.customerId);
  if (!customer) throw new NotFoundError("Cliente não encontrado.");
  return customer;
}

/**
 * The link to put in a follow-up message: the customer's current one, so the page they may
 * have open keeps working; a new one only when none is live.
 */
export async function linkFor(ctx: StepCtx, op: Deno.AtomicOperation, next: RenewalCase) {
  const live = next.link && next.link.expiresAt > ctx.db.now().toISOString();
  return live
    ? (await currentLinkToken(ctx.db, next))!
    : await stageNewLink(ctx.db, op, next, ctx.linkTtlDays);
}

export async function contractEntry(db: Db, id: string) {
  const e = await db.kv.get<Contract>(keys.contract(id));
  if (!e.value) throw new NotFoundError("Contrato não encontrado.");
  return e as Deno.KvEntry<Contract>;
}
/** An ended case (closed, declined) keeps its link read-only for the configured period. */
export function keepLink(
  env: Pick<RenewalEnv, "db" | "linkAfterEndDays">,
  op: Deno.AtomicOperation,
  next: RenewalCase,
) {
  const days = env.linkAfterEndDays ?? LINK_AFTER_END_DAYS;
  stageLinkKept(env.db, op, next, linkKeptUntil(next, env.db.now(), days));
}
