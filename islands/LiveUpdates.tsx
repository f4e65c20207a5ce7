// Keeps a page current: listens to the case's server-sent events and reloads when the case
// moves on. If the person is typing in a form, it asks instead of reloading under them.
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { island } from "../lib/island.ts";

interface Props extends Record<string, unknown> {
  url: string;
  rev: number;
  message: string;
}

function LiveUpdates({ url, rev, message }: Props) {
  const stale = useSignal(false);
  useEffect(() => {
    let dirty = false;
    const onInput = () => (dirty = true);
    document.addEventListener("input", onInput);
    const es = new EventSource(url);
    es.addEventListener("case", (ev) => {
      const data = JSON.parse((ev as MessageEvent).data);
      if (data.rev > rev) {
        if (dirty) stale.value = true;
        else location.reload();
      }
    });
    return () => {
      es.close();
      document.removeEventListener("input", onInput);
    };
  }, [url, rev]);
  if (!stale.value) return <span class="sr-only" aria-live="polite"></span>;
  return (
    <div
      role="status"
      aria-live="polite"
      class="fixed bottom-4 inset-x-4 mx-auto max-w-md rounded bg-gray-900 text-white p-3 shadow-lg flex gap-3 items-center"
    >
      <span class="flex-1">{message}</span>
      <button
        type="button"
        onClick={() => location.reload()}
        class="rounded bg-white text-gray-900 px-3 py-1 font-medium"
      >
        Atualizar
      </button>
    </div>
  );
}

export default island("LiveUpdates", LiveUpdates);
