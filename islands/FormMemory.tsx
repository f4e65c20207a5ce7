// Keeps what the customer typed in a form across a reload, or a post that comes back as a new
// page (asking for the signing code), in this tab's sessionStorage. Only the fields named in
// the props are kept (the name and the consent tick: never a code), and they are dropped when
// the form is sent by its own button (a refusal comes back with them from the server). Also
// puts the focus on a field when the page lands on a given anchor (back at the code field).
import { useEffect } from "preact/hooks";
import { island } from "../lib/island.ts";

interface Props extends Record<string, unknown> {
  /** The form's id. */
  form: string;
  /** Part of the storage key, so another contract (or case) in this tab starts empty. */
  scope: string;
  /** The names of the fields kept. */
  fields: string[];
  /** Anchor (without #) → the name of the field focused when the page lands there. */
  focusOn?: Record<string, string>;
}

function FormMemory({ form, scope, fields, focusOn }: Props) {
  useEffect(() => {
    const f = document.getElementById(form);
    if (!(f instanceof HTMLFormElement)) return;
    const key = `renova:${form}:${scope}`;
    const inputs = fields.map((n) => f.elements.namedItem(n)).filter((
      el,
    ): el is HTMLInputElement => el instanceof HTMLInputElement);
    let saved: Record<string, unknown> = {};
    try {
      saved = JSON.parse(sessionStorage.getItem(key) ?? "{}") ?? {};
    } catch { /* storage off or unreadable: start empty */ }
    // What the server put back (a refused form) wins over what was kept.
    for (const el of inputs) {
      const v = saved[el.name];
      if (el.type === "checkbox") {
        if (!el.checked && v === true) el.checked = true;
      } else if (!el.value && typeof v === "string") el.value = v.slice(0, 200);
    }
    const save = () => {
      const out: Record<string, string | boolean> = {};
      for (const el of inputs) out[el.name] = el.type === "checkbox" ? el.checked : el.value;
      try {
        sessionStorage.setItem(key, JSON.stringify(out));
      } catch { /* private mode or full: the server still keeps them across refusals */ }
    };
    const onSubmit = (e: SubmitEvent) => {
      // The form's own button: its answer is the next step or a refusal that carries them.
      if (e.submitter?.hasAttribute("formaction")) return save();
      try {
        sessionStorage.removeItem(key);
      } catch { /* nothing kept */ }
    };
    save();
    f.addEventListener("input", save);
    f.addEventListener("change", save);
    f.addEventListener("submit", onSubmit);
    const target = focusOn?.[location.hash.slice(1)];
    const el = target ? f.elements.namedItem(target) : null;
    if (el instanceof HTMLElement) el.focus();
    return () => {
      f.removeEventListener("input", save);
      f.removeEventListener("change", save);
      f.removeEventListener("submit", onSubmit);
    };
  }, []);
  return null;
}

export default island("FormMemory", FormMemory);
