// A horizontal bar chart drawn as SVG on the server (no client chart library). The SVG is
// decorative for screen readers (the table beside it carries the figures): role="img" with a
// title naming what it shows.
import { formatCount } from "../../domain/format.ts";

export interface Bar {
  label: string;
  value: number;
  /** What the bar's end shows; the value by default. */
  text?: string;
}

const ROW = 28, LABEL_W = 190, BAR_W = 320, TEXT_W = 110;

export function BarChart({ id, title, bars }: { id: string; title: string; bars: Bar[] }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const h = bars.length * ROW + 8;
  return (
    <svg
      role="img"
      aria-labelledby={`${id}-title`}
      viewBox={`0 0 ${LABEL_W + BAR_W + TEXT_W} ${h}`}
      class="w-full max-w-2xl h-auto"
      data-testid={`chart-${id}`}
    >
      <title id={`${id}-title`}>{title}</title>
      {bars.map((b, i) => {
        const w = Math.round((b.value / max) * BAR_W);
        const y = i * ROW + 4;
        return (
          <g key={b.label}>
            <text x={LABEL_W - 8} y={y + 17} text-anchor="end" font-size="13" fill="#1f2937">
              {b.label}
            </text>
            <rect x={LABEL_W} y={y + 3} width={Math.max(w, 1)} height={ROW - 10} fill="#0f766e" />
            <text x={LABEL_W + Math.max(w, 1) + 6} y={y + 17} font-size="13" fill="#1f2937">
              {b.text ?? formatCount(b.value)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
