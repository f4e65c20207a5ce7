import type { ContractSection } from "../services/contract/terms.ts";

/** The contract's sections as HTML: the reading view of the same sections the PDF renders. */
export function ContractSections(
  { sections, label, testId }: { sections: ContractSection[]; label: string; testId: string },
) {
  return (
    <article class="max-w-none text-base mt-3" aria-label={label} data-testid={testId}>
      {sections.map((s, k) => (
        <section key={k} class="mb-3">
          <h3 class="font-bold">{s.title}</h3>
          {s.paragraphs.map((p, i) => <p key={i} class="mb-1">{p}</p>)}
          {s.table && (
            <table class="text-sm w-full">
              <thead>
                <tr class="text-left">
                  {s.table.head.map((h) => <th key={h} scope="col">{h}</th>)}
                </tr>
              </thead>
              <tbody>
                {s.table.rows.map((r) => (
                  <tr key={r[0]} class="border-t">{r.map((c, i) => <td key={i}>{c}</td>)}</tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ))}
    </article>
  );
}
