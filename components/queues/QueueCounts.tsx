// An attendant's queues at a glance: five counts linking to the queue page (/app/filas). Meant
// for the attendant's home (the due list) as well as the top of the queue page.
import { formatCount } from "../../domain/format.ts";
import { type QueueKind, QUEUES } from "../../services/renewals/queues.ts";

export const QUEUE_ORDER: readonly QueueKind[] = [
  "conflict",
  "overdue",
  "review",
  "call",
  "waiting",
];

export function QueueCounts({ counts }: { counts: Record<QueueKind, number> }) {
  return (
    <nav aria-label="Minhas filas" data-testid="queue-counts">
      <ul class="grid grid-cols-2 md:grid-cols-5 gap-3">
        {QUEUE_ORDER.map((q) => (
          <li key={q}>
            <a
              href={`/app/filas#fila-${q}`}
              class={`block rounded shadow bg-white p-3 hover:bg-gray-50 focus:outline-none focus:ring-2 focus:ring-brand-600 ${
                (q === "overdue" || q === "conflict") && counts[q]
                  ? "border-l-4 border-red-700"
                  : ""
              }`}
            >
              <span class="block text-2xl font-bold" data-testid={`queue-count-${q}`}>
                {formatCount(counts[q])}
              </span>
              <span class="block text-sm text-gray-800">{QUEUES[q]}</span>
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
