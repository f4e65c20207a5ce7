// A wave's report, read from what its runs wrote: every send record (campaign_sends/<wave>)
// leads to its case and first message. Sent, delivered and read come from the message status
// (the WhatsApp status webhook moves it: sent → delivered → read); the case's step tells
// whether the customer went past the contact step, completed, declined or let it expire.
// Read on demand (bounded by the wave's own contacts); the dashboard's counters are #17's
// other half.
import type { Db } from "../db.ts";
import { getManyBatched } from "../db.ts";
import { keys } from "../keys.ts";
import type { Message } from "../messaging/mod.ts";
import type { RenewalCase } from "../renewals/cases.ts";
import type { SendRecord } from "./planner.ts";
import { isTerminal } from "../../domain/steps.ts";
import { linksOpened } from "../renewals/link_opened.ts";

export interface WaveReport {
  contacted: number;
  sent: number;
  delivered: number;
  read: number;
  failed: number;
  /** The customer opened the link (first open recorded, or went past the offer). */
  opened: number;
  /** Open past the offer, or closed: the customer chose a plan or went further. */
  advanced: number;
  completed: number;
  declined: number;
  expired: number;
}

const SENT = new Set(["sent", "delivered", "read"]);
const DELIVERED = new Set(["delivered", "read"]);

export async function waveReport(db: Db, waveId: string): Promise<WaveReport> {
  const r: WaveReport = {
    contacted: 0,
    sent: 0,
    delivered: 0,
    read: 0,
    failed: 0,
    opened: 0,
    advanced: 0,
    completed: 0,
    declined: 0,
    expired: 0,
  };
  let page: SendRecord[] = [];
  const flush = async () => {
    const [msgs, cases, opened] = await Promise.all([
      getManyBatched<Message>(
        db.kv,
        page.filter((s) => s.messageId).map((s) => keys.message(s.messageId!)),
      ),
      getManyBatched<RenewalCase>(db.kv, page.map((s) => keys.case(s.caseId))),
      linksOpened(db, page.map((s) => s.caseId)),
    ]);
    for (const e of msgs) {
      const st = e.value?.status ?? "";
      if (SENT.has(st)) r.sent++;
      if (DELIVERED.has(st)) r.delivered++;
      if (st === "read") r.read++;
      if (st === "failed" || st === "unknown") r.failed++;
    }
    cases.forEach((e, i) => {
      const step = e.value?.step;
      if (!step) return;
      // Where the case is now: one that chose a plan and later expired is not counted.
      const advanced = step === "closed" ||
        (!isTerminal(step) && step !== "contact" && step !== "offer");
      if (advanced) r.advanced++;
      // Cases from before opens were recorded count as opened once they went past the offer.
      if (opened[i] || advanced || e.value?.choice) r.opened++;
      if (step === "closed") r.completed++;
      if (step === "declined") r.declined++;
      if (step === "expired") r.expired++;
    });
    page = [];
  };
  for await (const e of db.kv.list<SendRecord>({ prefix: keys.campaignSendsOfWave(waveId) })) {
    r.contacted++;
    page.push(e.value);
    if (page.length >= 200) await flush();
  }
  if (page.length) await flush();
  return r;
}
