import type { ComponentChildren } from "preact";
import type { Step } from "../../domain/steps.ts";
import { CUSTOMER_STAGES as STAGES, STEP_POLICY } from "../../domain/policy.ts";

export function StepIndicator({ step }: { step: Step }) {
  const current = STEP_POLICY[step].stage;
  return (
    <ol class="flex gap-1 mb-5" aria-label="Etapas da renovação">
      {STAGES.map((s, i) => (
        <li
          key={s}
          // flex-auto, not flex-1: a longer label ("✓ Contrato") takes the width it needs, so
          // no label breaks in two at 360 px.
          class={`flex-auto text-center text-xs pt-2 border-t-4 ${
            i < current
              ? "border-brand-600 text-brand-800"
              : i === current
              ? "border-brand-600 font-bold"
              : "border-gray-300 text-gray-700"
          }`}
          aria-current={i === current ? "step" : undefined}
        >
          {i < current ? "✓ " : ""}
          {s}
        </li>
      ))}
    </ol>
  );
}

export function Card({ children }: { children: ComponentChildren }) {
  return <section class="bg-white rounded-lg shadow p-4 mb-4">{children}</section>;
}

export const primaryBtn =
  "w-full rounded-lg bg-brand-600 hover:bg-brand-700 text-white text-lg font-medium px-4 py-3 focus:outline-none focus:ring-2 focus:ring-offset-2 focus:ring-brand-600";
export const secondaryBtn =
  "w-full rounded-lg border border-gray-400 bg-white hover:bg-gray-100 text-gray-900 px-4 py-3 focus:outline-none focus:ring-2 focus:ring-brand-600";
export const inputCls =
  "w-full rounded border border-gray-400 px-3 py-3 text-base focus:outline-none focus:ring-2 focus:ring-brand-600";
