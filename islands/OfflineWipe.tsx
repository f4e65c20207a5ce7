// On the sign-in page: whoever lands here has no session (it expired, or was never there), so
// customer data left on this device by an expired session is wiped before anyone signs in.
// Unsent actions without personal data are kept for the same attendant (OfflineOutbox.tsx).
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { island } from "../lib/island.ts";
import { wipeExpiredSession } from "./OfflineOutbox.tsx";

function OfflineWipe(_: Record<string, unknown>) {
  const done = useSignal(false);
  const dropped = useSignal(0);
  useEffect(() => {
    wipeExpiredSession()
      .then((n) => (dropped.value = n))
      .catch(() => {})
      .finally(() => (done.value = true));
  }, []);
  return (
    <div data-testid="offline-wipe" data-done={done.value ? "true" : "false"} aria-live="polite">
      {dropped.value > 0 && (
        <p class="mb-4 rounded border border-amber-500 bg-amber-50 p-3 text-sm">
          A sessão anterior expirou: {dropped.value}{" "}
          ação(ões) guardada(s) neste aparelho tinha(m) dados de clientes e foi(ram) apagada(s) sem
          envio. Registre-a(s) de novo depois de entrar.
        </p>
      )}
    </div>
  );
}

export default island("OfflineWipe", OfflineWipe);
