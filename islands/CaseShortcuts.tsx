// Keyboard shortcuts on the staff case page. A key acts on the page's element marked
// data-shortcut="<key>": a button is pressed, anything else gets the focus. Actions that need a
// judgement (approving the holder photo) are marked data-shortcut-focus: the key only moves the
// focus there, and Enter confirms. Keys never fire while typing in a field or with a modifier.
import { useEffect } from "preact/hooks";
import { useSignal } from "@preact/signals";
import { island } from "../lib/island.ts";

interface Props extends Record<string, unknown> {
  /** Only to give the island a stable marker; the keys live in the page's markup. */
  page: string;
}

function typing(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName) || el.isContentEditable;
}

function CaseShortcuts(_: Props) {
  const ready = useSignal(false);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.repeat) return;
      if (typing(e.target)) return;
      const key = e.key.length === 1 ? e.key.toLowerCase() : "";
      if (!key || !/^[a-z?]$/.test(key)) return;
      const el = document.querySelector<HTMLElement>(`[data-shortcut="${key}"]`);
      if (!el || (el as HTMLButtonElement).disabled) return;
      e.preventDefault();
      if (el instanceof HTMLDetailsElement) {
        el.open = true;
        el.querySelector("summary")?.focus();
      } else if (
        (el instanceof HTMLButtonElement || el instanceof HTMLAnchorElement) &&
        !el.hasAttribute("data-shortcut-focus")
      ) {
        el.click();
      } else {
        el.focus();
        el.scrollIntoView({ block: "nearest" });
      }
    };
    document.addEventListener("keydown", onKey);
    ready.value = true;
    return () => document.removeEventListener("keydown", onKey);
  }, []);
  return <span hidden data-testid="shortcuts" data-ready={ready.value ? "true" : "false"}></span>;
}

export default island("CaseShortcuts", CaseShortcuts);
