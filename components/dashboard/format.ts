// Dashboard figures in pt-BR: durations from hours, percentages, histogram bucket names.
import { DURATION_BOUNDS_H } from "../../services/renewals/counters.ts";

/** 0.4 → "24 min", 5.5 → "5,5 h", 50 → "2,1 dias"; null → "—". */
export function formatHours(h: number | null): string {
  if (h === null) return "—";
  if (h < 1) return `${Math.max(1, Math.round(h * 60))} min`;
  if (h < 48) return `${(Math.round(h * 10) / 10).toString().replace(".", ",")} h`;
  return `${(Math.round(h / 2.4) / 10).toString().replace(".", ",")} dias`;
}

export function formatPercent(r: number): string {
  return `${(Math.round(r * 1000) / 10).toString().replace(".", ",")}%`;
}

const bound = (h: number) => h < 1 ? `${h * 60} min` : h < 24 ? `${h} h` : `${h / 24} d`;

/** "até 15 min", "15 min a 1 h", …, "mais de 30 d". */
export function bucketLabels(): string[] {
  const b = DURATION_BOUNDS_H;
  return [
    `até ${bound(b[0])}`,
    ...b.slice(1).map((h, i) => `${bound(b[i])} a ${bound(h)}`),
    `mais de ${bound(b[b.length - 1])}`,
  ];
}
