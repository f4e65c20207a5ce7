// The wave page's preview ("Vai contatar 4.132; fora 212…"): the planner's dry run over the
// day's range, kept per wave for a few minutes. At a million contracts the dry run reads tens
// of thousands of index entries and customers; the page would pay that on every load. The
// kept answer is dropped when the wave changes (its rev), the day turns, or an admin asks.
import { keys } from "../keys.ts";
import type { RenewalEnv } from "../renewals/env.ts";
import { todayInBrazil } from "../dates.ts";
import { type PlanResult, planWave } from "./planner.ts";
import type { Wave } from "./waves.ts";

/** How long a computed preview is shown before it is computed again. */
export const PREVIEW_MAX_AGE_MS = 10 * 60_000;

export interface KeptPreview extends PlanResult {
  /** When it was computed (ISO). */
  at: string;
  rev: number;
}

export async function wavePreview(
  env: RenewalEnv,
  wave: Wave,
  opts: { fresh?: boolean } = {},
): Promise<KeptPreview> {
  const db = env.db;
  const now = db.now();
  const key = keys.campaignPreview(wave.id);
  const kept = (await db.kv.get<KeptPreview>(key)).value;
  if (
    !opts.fresh && kept && kept.rev === wave.rev && kept.day === todayInBrazil(now) &&
    now.getTime() - Date.parse(kept.at) < PREVIEW_MAX_AGE_MS
  ) return kept;
  const r = await planWave(env, wave, { dryRun: true });
  const out: KeptPreview = { ...r, at: now.toISOString(), rev: wave.rev };
  await db.kv.set(key, out); // a cache: the last writer wins, one key per wave
  return out;
}
