// Server-sent events for one case: the current version at once, then every change, with a
// keep-alive comment so proxies do not drop the connection.
import { streamSSE } from "hono/streaming";
import type { Ctx } from "./route.ts";
import { watchCase } from "../services/renewals/views.ts";
import { getCase } from "../services/renewals/cases.ts";
import { NotFoundError } from "../services/errors.ts";

export async function caseEvents(c: Ctx, caseId: string) {
  if (!(await getCase(c.get("db"), caseId))) throw new NotFoundError("Caso não encontrado.");
  return streamSSE(c, async (stream) => {
    const reader = watchCase(c.get("db"), caseId).getReader();
    const keepAlive = setInterval(() => stream.write(": ping\n\n").catch(() => {}), 25_000);
    stream.onAbort(() => {
      clearInterval(keepAlive);
      reader.cancel().catch(() => {});
    });
    try {
      while (!stream.aborted) {
        const { value, done } = await reader.read();
        if (done) break;
        if (value) await stream.writeSSE({ event: "case", data: JSON.stringify(value) });
      }
    } finally {
      clearInterval(keepAlive);
    }
  });
}
