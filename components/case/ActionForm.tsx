import type { ComponentChildren } from "preact";
import { CsrfField } from "../Form.tsx";
import type { CaseVerb } from "../../domain/policy.ts";

/** A POST to one case action, carrying the case version the attendant saw and the CSRF token. */
export function ActionForm(
  { caseId, action, rev, csrf, children, class: cls }: {
    caseId: string;
    action: CaseVerb;
    rev: number;
    csrf?: string;
    children: ComponentChildren;
    class?: string;
  },
) {
  return (
    <form method="post" action={`/app/cases/${caseId}/${action}`} class={cls}>
      <CsrfField token={csrf} />
      <input type="hidden" name="rev" value={String(rev)} />
      {children}
    </form>
  );
}

export function Submit(
  { children, variant = "primary", disabled, shortcut, focusOnly }: {
    children: ComponentChildren;
    variant?: "primary" | "secondary" | "danger";
    disabled?: boolean;
    /** A key on the case page (islands/CaseShortcuts.tsx; listed in CasePage's help). */
    shortcut?: string;
    /** The key only moves the focus here: Enter confirms (a judgement, not a routine click). */
    focusOnly?: boolean;
  },
) {
  const styles = {
    primary: "bg-brand-600 hover:bg-brand-700 text-white",
    secondary: "bg-white hover:bg-gray-100 text-gray-900 border border-gray-400",
    danger: "bg-red-700 hover:bg-red-800 text-white",
  };
  return (
    <button
      type="submit"
      disabled={disabled}
      data-shortcut={shortcut}
      data-shortcut-focus={focusOnly ? "" : undefined}
      aria-keyshortcuts={shortcut?.toUpperCase()}
      class={`${
        styles[variant]
      } rounded px-3 py-2 text-sm font-medium focus:outline-none focus:ring-2 focus:ring-offset-1 focus:ring-brand-600 disabled:opacity-50`}
    >
      {children}
    </button>
  );
}

export function Panel(
  { title, children, id }: { title: string; children: ComponentChildren; id?: string },
) {
  return (
    <section class="bg-white rounded shadow p-4" aria-labelledby={id}>
      <h2 id={id} class="text-lg font-bold mb-3">{title}</h2>
      {children}
    </section>
  );
}

export const fieldCls = "w-full rounded border border-gray-400 px-2 py-1.5 text-sm";
