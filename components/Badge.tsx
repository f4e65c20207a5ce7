import type { Step } from "../domain/steps.ts";
import { STEP_POLICY } from "../domain/policy.ts";

const COLORS: Partial<Record<Step, string>> = {
  photo_sent: "bg-amber-100 text-amber-900",
  signed: "bg-amber-100 text-amber-900",
  data_confirmed: "bg-amber-100 text-amber-900",
  photo_rejected: "bg-red-100 text-red-900",
  closed: "bg-green-100 text-green-900",
  declined: "bg-gray-200 text-gray-800",
  unreachable: "bg-gray-200 text-gray-800",
  cancelled: "bg-gray-200 text-gray-800",
  expired: "bg-gray-200 text-gray-800",
};

/** Step badge: amber where the attendant must act now. */
export function StepBadge({ step }: { step: Step }) {
  return (
    <span
      class={`inline-block rounded px-2 py-0.5 text-xs font-medium ${
        COLORS[step] ?? "bg-brand-100 text-brand-800"
      }`}
    >
      {STEP_POLICY[step].label}
    </span>
  );
}
