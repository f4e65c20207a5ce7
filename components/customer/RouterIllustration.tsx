import { prerendered } from "../../lib/prerendered.ts";

/** A simple drawing: router, plug out, wait 5 minutes, plug back in. */
export function RouterIllustration() {
  return prerendered(drawRouter);
}

/** The drawing itself (exported for the test that compares both renders). */
export function drawRouter() {
  return (
    <svg
      viewBox="0 0 320 110"
      role="img"
      aria-labelledby="router-title"
      class="w-full max-w-sm mx-auto my-3"
    >
      <title id="router-title">
        Desligue o roteador da tomada, espere 5 minutos e ligue de novo
      </title>
      <rect x="10" y="40" width="90" height="34" rx="6" fill="#0f766e" />
      <circle cx="28" cy="57" r="4" fill="#a7f3d0" />
      <circle cx="44" cy="57" r="4" fill="#a7f3d0" />
      <circle cx="60" cy="57" r="4" fill="#a7f3d0" />
      <line
        x1="30"
        y1="40"
        x2="22"
        y2="16"
        stroke="#134e4a"
        stroke-width="4"
        stroke-linecap="round"
      />
      <line
        x1="80"
        y1="40"
        x2="88"
        y2="16"
        stroke="#134e4a"
        stroke-width="4"
        stroke-linecap="round"
      />
      <path d="M100 62 C 125 62, 125 90, 150 90" stroke="#374151" stroke-width="4" fill="none" />
      <rect x="150" y="82" width="22" height="16" rx="3" fill="#374151" />
      <text x="140" y="40" font-size="14" fill="#111827" font-family="sans-serif">5 min</text>
      <circle cx="158" cy="30" r="0" />
      <rect x="220" y="70" width="40" height="34" rx="4" fill="#e5e7eb" stroke="#6b7280" />
      <rect x="233" y="78" width="4" height="10" fill="#6b7280" />
      <rect x="243" y="78" width="4" height="10" fill="#6b7280" />
      <path d="M180 90 L 210 90" stroke="#b91c1c" stroke-width="3" stroke-dasharray="4 4" />
      <text x="196" y="60" font-size="24" fill="#0f766e" font-family="sans-serif">↻</text>
    </svg>
  );
}
