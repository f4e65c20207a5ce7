// Protocol numbers (ANATEL: every one must be explainable) and nossos números (the bank's
// invoice numbers). Both are taken in the same atomic as the step that uses them: the counter
// is read here, and the caller's atomic checks it and moves it. A step that fails, is refused
// or repeats commits nothing, so it uses no number; two steps that race for the same number
// cannot both commit. Numbers that could not be used that way would be recorded as voided
// (`stageVoidedNumber`, with the reason) in the atomic that learns of the gap.
import type { Db } from "./db.ts";
import { keys } from "./keys.ts";
import { todayInBrazil } from "./dates.ts";

export const PROTOCOLS_PER_DAY = 999_999;

export interface NumberDraw {
  day: string;
  protocol: string;
  /** The first of `count` consecutive nosso número sequence values. */
  firstNossoNumero: number;
  count: number;
  protocolSeq: Deno.KvEntryMaybe<number>;
  nossoSeq: Deno.KvEntryMaybe<number>;
}

/** The next protocol of the day and the next `count` nossos números, not yet taken. */
export async function drawNumbers(db: Db, count: number): Promise<NumberDraw> {
  const day = todayInBrazil(db.now()).replaceAll("-", "");
  const [protocolSeq, nossoSeq] = await db.kv.getMany<[number, number]>([
    keys.protocolSeq(day),
    keys.nossoNumeroSeq(),
  ]);
  const n = (protocolSeq.value ?? 0) + 1;
  if (n > PROTOCOLS_PER_DAY) throw new Error("protocol sequence exhausted for today");
  return {
    day,
    protocol: `${day}${String(n).padStart(6, "0")}`,
    firstNossoNumero: (nossoSeq.value ?? 0) + 1,
    count,
    protocolSeq,
    nossoSeq,
  };
}

/**
 * Takes the drawn numbers inside `op` (2 checks): the counters must still be where they were
 * read, and each nosso número is indexed to its case so an audit can account for it.
 */
export function stageNumbers(op: Deno.AtomicOperation, d: NumberDraw, caseId: string) {
  const n = Number(d.protocol.slice(8));
  op.check(d.protocolSeq).check(d.nossoSeq)
    .set(keys.protocolSeq(d.day), n)
    .set(keys.nossoNumeroSeq(), d.firstNossoNumero + d.count - 1);
  for (let i = 0; i < d.count; i++) {
    op.set(keys.nossoNumeroBySeq(d.firstNossoNumero + i), { caseId, protocol: d.protocol });
  }
}

export interface VoidedNumber {
  reason: string;
  at: string;
  caseId?: string;
}

/** Records a number that was taken but not used, with why (for a regulator's question). */
export function stageVoidedNumber(
  db: Db,
  op: Deno.AtomicOperation,
  which: { protocol: string } | { nossoNumero: number },
  v: Omit<VoidedNumber, "at">,
) {
  const key = "protocol" in which
    ? keys.protocolVoided(which.protocol)
    : keys.nossoNumeroVoided(which.nossoNumero);
  op.set(key, { ...v, at: db.now().toISOString() });
}

export interface SequenceAudit {
  /** The counter's last value (0 when nothing was issued). */
  last: number;
  issued: string[];
  voided: string[];
  /** Numbers up to `last` neither issued nor voided: these could not be explained. */
  unexplainedGaps: string[];
}

/** Every number of one day's protocols, and of all nossos números: issued, voided, gaps. */
export async function auditNumberSequence(
  db: Db,
  day: string,
): Promise<{ day: string; protocols: SequenceAudit; nossoNumeros: SequenceAudit }> {
  const d = day.replaceAll("-", "");
  const range = (prefix: readonly string[]) => ({
    start: [...prefix, `${d}000000`],
    end: [...prefix, `${d}999999~`],
  });
  const protocols = new Set<string>();
  for await (const e of db.kv.list(range(keys.ticketsByProtocol()))) {
    protocols.add(String(e.key[1]));
  }
  const voidedP = new Set<string>();
  for await (const e of db.kv.list(range(keys.protocolsVoided()))) voidedP.add(String(e.key[1]));
  const lastP = Math.max(
    (await db.kv.get<number>(keys.protocolSeq(d))).value ?? 0,
    ...[...protocols, ...voidedP].map((p) => Number(p.slice(8))),
  );
  const gapsP: string[] = [];
  for (let n = 1; n <= lastP; n++) {
    const p = `${d}${String(n).padStart(6, "0")}`;
    if (!protocols.has(p) && !voidedP.has(p)) gapsP.push(p);
  }

  const nossos = new Set<number>();
  for await (const e of db.kv.list({ prefix: keys.nossoNumerosBySeq() })) {
    nossos.add(Number(e.key[1]));
  }
  const voidedN = new Set<number>();
  for await (const e of db.kv.list({ prefix: keys.nossoNumerosVoided() })) {
    voidedN.add(Number(e.key[1]));
  }
  const lastN = (await db.kv.get<number>(keys.nossoNumeroSeq())).value ?? 0;
  const gapsN: string[] = [];
  for (let n = 1; n <= lastN; n++) if (!nossos.has(n) && !voidedN.has(n)) gapsN.push(String(n));
  return {
    day: d,
    protocols: {
      last: lastP,
      issued: [...protocols].sort(),
      voided: [...voidedP].sort(),
      unexplainedGaps: gapsP,
    },
    nossoNumeros: {
      last: lastN,
      issued: [...nossos].sort((a, b) => a - b).map(String),
      voided: [...voidedN].sort((a, b) => a - b).map(String),
      unexplainedGaps: gapsN,
    },
  };
}
