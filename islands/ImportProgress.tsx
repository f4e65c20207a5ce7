// The import's progress bar. The numbers live in KV (the job's progress record, rewritten by
// every batch), so a reload, another tab or another admin sees the same bar; this island only
// polls the JSON endpoint and reloads the page when the run ends, to show the report.
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { island } from "../lib/island.ts";
import { formatCount } from "../domain/format.ts";

export interface ImportStatus extends Record<string, unknown> {
  status: string;
  percent: number;
  rows: number;
  total: number;
  bad: number;
  stale: boolean;
}

interface Props extends Record<string, unknown> {
  url: string;
  label: string;
  initial: ImportStatus;
}

const ACTIVE = new Set(["running", "dry_running"]);

function ImportProgress({ url, label, initial }: Props) {
  const s = useSignal(initial);
  useEffect(() => {
    let stop = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const res = await fetch(url, { headers: { accept: "application/json" } });
        if (res.ok) {
          const j = await res.json();
          s.value = {
            status: j.status,
            percent: j.percent,
            rows: j.counts.rows,
            total: j.total,
            bad: j.counts.bad,
            stale: j.stale,
          };
          if (!ACTIVE.has(j.status) || j.stale) return location.reload();
        }
      } catch {
        // Offline for a moment: try again on the next tick.
      }
      if (!stop) timer = setTimeout(tick, 1000);
    };
    timer = setTimeout(tick, 1000);
    return () => {
      stop = true;
      clearTimeout(timer);
    };
  }, [url]);
  const v = s.value;
  const n = formatCount;
  return (
    <div class="my-4">
      <label for="import-progress" class="block font-medium mb-1">{label}</label>
      <progress
        id="import-progress"
        class="w-full h-4"
        max={100}
        value={v.percent}
        aria-describedby="import-progress-text"
      >
        {v.percent}%
      </progress>
      <p id="import-progress-text" class="text-sm text-gray-700 mt-1" aria-live="polite">
        {v.percent}% — {n(v.rows)} de {n(v.total)} linhas lidas, {n(v.bad)} com problema.
      </p>
    </div>
  );
}

export default island("ImportProgress", ImportProgress);
