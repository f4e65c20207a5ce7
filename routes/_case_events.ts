// Server-sent events for one case: the current version at once, then every change, with a
// keep-alive comment so proxies do not drop the connection. On a customer link the stream holds
// one of the link's few slots (services/renewals/live_streams.ts) and ends when the link is
// revoked or expires.
import { streamSSE } from "hono/streaming";
import type { Ctx } from "../lib/route.ts";
import { watchCase } from "../services/renewals/views.ts";
import { getCase } from "../services/renewals/cases.ts";
import { NotFoundError } from "../services/errors.ts";
import { linkExpired, type OpenLink } from "../services/renewals/links.ts";
import {
  acquireStream,
  type LinkStreamEvent,
  releaseStream,
  renewStream,
  watchCaseByLink,
} from "../services/renewals/live_streams.ts";

export const KEEP_ALIVE_MS = 25_000;

export async function caseEvents(c: Ctx, caseId: string, link?: OpenLink) {
  const db = c.get("db");
  if (!(await getCase(db, caseId))) throw new NotFoundError("Caso não encontrado.");
  // Before the stream starts, so a refusal is a plain 429 with Retry-After.
  const slot = link ? await acquireStream(db, link.hash) : undefined;
  return streamSSE(c, async (stream) => {
    const reader = (link ? watchCaseByLink(db, caseId, link.hash) : watchCase(db, caseId))
      .getReader() as ReadableStreamDefaultReader<LinkStreamEvent | null>;
    const end = () => reader.cancel().catch(() => {});
    const live = () => !link || !linkExpired(db, link.expiresAt);
    const keepAlive = setInterval(() => {
      if (!live()) return end();
      stream.write(": ping\n\n").catch(() => {});
      if (link && slot) renewStream(db, link.hash, slot).catch(() => {});
    }, KEEP_ALIVE_MS);
    stream.onAbort(() => {
      clearInterval(keepAlive);
      end();
    });
    try {
      while (!stream.aborted) {
        const { value, done } = await reader.read();
        if (done || value === "revoked" || !live()) break;
        if (value) await stream.writeSSE({ event: "case", data: JSON.stringify(value) });
      }
    } finally {
      clearInterval(keepAlive);
      end();
      if (link && slot) await releaseStream(db, link.hash, slot).catch(() => {});
    }
  });
}
