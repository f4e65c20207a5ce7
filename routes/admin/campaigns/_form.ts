// The wave form as posted: text fields, with the repeated plan checkboxes as a list.
import type { Ctx } from "../../../lib/route.ts";
import { readForm } from "../../../lib/form.ts";
import type { WaveValues } from "../../../components/campaigns/WaveForm.tsx";

export async function waveFields(c: Ctx): Promise<WaveValues> {
  const body = await readForm(c, { all: true });
  const out: WaveValues = {};
  for (const [k, v] of Object.entries(body)) {
    const xs = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === "string");
    out[k] = k === "planIds" ? xs : xs[0] ?? "";
  }
  return out;
}
