// Live-update streams on a customer link: a few at a time per link, counted in KV with leases
// (renewed while the stream lives, so a crashed instance's streams lapse on their own), and
// ended when the link is revoked (a new link, the case closed) or expires.
import type { Db } from "../db.ts";
import { keys } from "../keys.ts";
import { ulid } from "../ulid.ts";
import { RateLimitError } from "../errors.ts";
import type { RenewalCase } from "./cases.ts";
import type { LinkRecord } from "./links.ts";

/** Streams open at once on one link: a phone and a computer or two, with room for reloads. */
export const MAX_STREAMS_PER_LINK = 5;
/** A stream renews its lease well inside this (every keep-alive). */
export const STREAM_LEASE_MS = 60_000;

interface Leases {
  /** Stream id → lease end (ms). */
  until: Record<string, number>;
}

async function updateLeases(db: Db, linkHash: string, change: (l: Leases, now: number) => void) {
  const key = keys.liveStreams(linkHash);
  for (let attempt = 0; attempt < 20; attempt++) {
    const e = await db.kv.get<Leases>(key);
    const now = db.now().getTime();
    const l: Leases = { until: {} };
    for (const [id, t] of Object.entries(e.value?.until ?? {})) if (t > now) l.until[id] = t;
    change(l, now);
    const op = db.kv.atomic().check(e);
    if (Object.keys(l.until).length) {
      op.set(key, l, { expireIn: STREAM_LEASE_MS * 2 }); // clean-up only; `until` decides
    } else op.delete(key);
    if ((await op.commit()).ok) return;
  }
  throw new RateLimitError(1, "Muitas conexões ao mesmo tempo. Recarregue a página.");
}

/** Takes a stream slot on the link; RateLimitError when all are in use. Returns its id. */
export async function acquireStream(db: Db, linkHash: string): Promise<string> {
  const id = ulid();
  await updateLeases(db, linkHash, (l, now) => {
    if (Object.keys(l.until).length >= MAX_STREAMS_PER_LINK) {
      throw new RateLimitError(
        Math.ceil(STREAM_LEASE_MS / 1000),
        "Esta página já está aberta em muitas janelas. Feche algumas e recarregue.",
      );
    }
    l.until[id] = now + STREAM_LEASE_MS;
  });
  return id;
}

export async function renewStream(db: Db, linkHash: string, id: string) {
  await updateLeases(db, linkHash, (l, now) => {
    l.until[id] = now + STREAM_LEASE_MS;
  });
}

export async function releaseStream(db: Db, linkHash: string, id: string) {
  await updateLeases(db, linkHash, (l) => {
    delete l.until[id];
  });
}

export type LinkStreamEvent = { rev: number; step: string } | "revoked";

/** The case's version on every change, and "revoked" once the link record is gone. */
export function watchCaseByLink(
  db: Db,
  caseId: string,
  linkHash: string,
): ReadableStream<LinkStreamEvent> {
  return db.kv.watch<[RenewalCase, LinkRecord]>([keys.case(caseId), keys.link(linkHash)])
    .pipeThrough(
      new TransformStream({
        transform([c, link], ctrl) {
          if (!link.value || !c.value) ctrl.enqueue("revoked");
          else ctrl.enqueue({ rev: c.value.rev, step: c.value.step });
        },
      }),
    );
}
