// The case page's keyboard shortcuts, listed where the attendant sees them (islands/
// CaseShortcuts.tsx acts on the elements marked data-shortcut). Keys never fire while typing.
import { Fragment } from "preact";

const KEYS: [string, string][] = [
  ["A", "Assumir o caso"],
  ["P", "Próximo passo (o botão principal)"],
  ["L", "Enviar ou reenviar o link do cliente"],
  ["C", "Registrar contato (vai ao campo Resultado)"],
  ["F", "Foto do titular (depois + − para zoom, R para girar, 0 para ajustar)"],
  ["T", "Ir para “Aprovar: é o titular” (Enter confirma)"],
  ["V", "Voltar à lista de renovações"],
  ["?", "Mostrar estes atalhos"],
];

export function ShortcutHelp() {
  return (
    <details class="ml-auto text-sm" data-shortcut="?" data-testid="shortcut-help">
      <summary class="cursor-pointer text-brand-700 underline rounded focus:outline-none focus:ring-2 focus:ring-brand-600">
        Atalhos de teclado (?)
      </summary>
      <dl class="mt-2 grid grid-cols-[auto,1fr] gap-x-3 gap-y-1 bg-white rounded shadow p-3">
        {KEYS.map(([k, what]) => (
          <Fragment key={k}>
            <dt>
              <kbd class="rounded border border-gray-400 bg-gray-50 px-1.5 font-mono">{k}</kbd>
            </dt>
            <dd>{what}</dd>
          </Fragment>
        ))}
      </dl>
      <p class="mt-1 text-gray-700">Os atalhos não funcionam enquanto você digita num campo.</p>
    </details>
  );
}
