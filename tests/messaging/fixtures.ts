// Messaging fixtures: local stand-ins for Resend's API and the WhatsApp Graph API (real HTTP
// servers on loopback, port 0), a customer with an open case and a live link, and a waiter.
import { SAMPLE_ADDRESS } from "../helpers.ts";
import type { Db } from "../../services/db.ts";
import { createCustomer, type Customer } from "../../services/customers.ts";
import { createContract } from "../../services/contracts.ts";
import { openCase, type RenewalCase, updateCase } from "../../services/renewals/cases.ts";
import { stageNewLink } from "../../services/renewals/links.ts";
import { generateCpf } from "../../services/billing/documents.ts";
import { SYSTEM } from "../../domain/actor.ts";
import { addDays, todayInBrazil } from "../../services/dates.ts";

export interface Recorded {
  path: string;
  headers: Headers;
  json: Record<string, unknown>;
}

export interface StandIn {
  url: string;
  requests: Recorded[];
  close(): Promise<void>;
}

/** A loopback HTTP server recording every JSON request; `reply` decides the answer. */
export function standIn(
  reply: (r: Recorded, n: number) => Response | Promise<Response>,
): StandIn {
  const requests: Recorded[] = [];
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen: () => {} },
    async (req) => {
      const r: Recorded = {
        path: new URL(req.url).pathname,
        headers: req.headers,
        json: await req.json().catch(() => ({})),
      };
      requests.push(r);
      return await reply(r, requests.length);
    },
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    requests,
    close: () => server.shutdown(),
  };
}

/**
 * Resend's API as far as we use it: POST /emails with an Idempotency-Key. Like Resend, a key
 * seen before gets the first answer again and is not sent twice; `sent` counts real sends.
 * `fail(n)` may answer the n-th request with an error instead; "lost" means the e-mail was
 * accepted but the answer never arrived (a 502 from a proxy in between).
 */
export function resendStandIn(fail: (n: number) => "lost" | number | null = () => null) {
  const byKey = new Map<string, string>();
  const sent = new Map<string, number>();
  let ids = 0;
  const s = standIn((r, n) => {
    const key = r.headers.get("idempotency-key") ?? "";
    const f = fail(n);
    if (typeof f === "number") {
      return Response.json({ statusCode: f, name: "application_error", message: "falhou" }, {
        status: f,
      });
    }
    if (!byKey.has(key)) {
      byKey.set(key, `email-${++ids}`);
      sent.set(key, (sent.get(key) ?? 0) + 1);
    }
    if (f === "lost") return new Response("bad gateway", { status: 502 });
    return Response.json({ id: byKey.get(key) });
  });
  return { ...s, sent };
}

/** The Graph API's /{phone-number-id}/messages: answers a wamid per request. */
export function graphStandIn(reply?: (r: Recorded, n: number) => Response | null) {
  return standIn((r, n) =>
    reply?.(r, n) ?? Response.json({
      messaging_product: "whatsapp",
      contacts: [{ input: r.json.to, wa_id: r.json.to }],
      messages: [{ id: `wamid.${n}` }],
    })
  );
}

let seq = 0;

export interface CaseFixture {
  customer: Customer;
  case: RenewalCase;
}

/** A customer with an active contract, an open case and (by default) a live link. */
export async function caseWithLink(db: Db, opts: { link?: boolean; phone?: string } = {}) {
  seq++;
  const phone = opts.phone ?? `55119${String(70000000 + seq * 7919).slice(0, 8)}`;
  const customer = await createCustomer(db, {
    name: `Joana Teste ${seq}`,
    cpf: generateCpf(),
    phones: [phone],
    email: `joana${seq}@exemplo.com.br`,
    address: SAMPLE_ADDRESS,
  }, SYSTEM);
  const today = todayInBrazil(db.now());
  const contract = await createContract(db, {
    customerId: customer.id,
    planId: "plan-x",
    city: "Campinas",
    startDate: addDays(today, -365),
    loyaltyStart: addDays(today, -365),
    loyaltyEnd: addDays(today, 20),
  }, SYSTEM);
  let c = await openCase(db, { contractId: contract.id, origin: "list" }, SYSTEM);
  if (opts.link !== false) {
    c = await updateCase(db, {
      caseId: c.id,
      actor: SYSTEM,
      action: "link.sent",
      apply: async (next, op) => {
        await stageNewLink(db, op, next, 15);
      },
    });
  }
  return { customer, case: c } satisfies CaseFixture;
}

/** Polls `check` every 20 ms until it is true or `ms` pass (KV queue work is asynchronous). */
export async function until(check: () => boolean | Promise<boolean>, ms = 10_000, what = "") {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting${what ? ` for ${what}` : ""}`);
}
