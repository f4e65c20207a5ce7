// Small parts every customer step's form uses.
import type { CustomerCaseView } from "../../services/renewals/views.ts";
import { newSubmissionId } from "../../services/submissions.ts";

export interface StepProps {
  v: CustomerCaseView;
  base: string;
  errors?: Record<string, string>;
  values?: Record<string, string>;
  retentionDays: number;
}

/** The case version the form was made from, and its submission id (a repeat is one change). */
export function Rev({ v }: { v: CustomerCaseView }) {
  return (
    <>
      <input type="hidden" name="rev" value={String(v.case.rev)} />
      <input type="hidden" name="_sub" value={newSubmissionId()} />
    </>
  );
}

export function FieldError({ msg, id }: { msg?: string; id: string }) {
  return msg ? <p id={id} class="text-red-700 mt-1" role="alert">{msg}</p> : null;
}

/**
 * The page-level message of a refused form when the step shows its errors itself: none when
 * every field error is already shown next to its field (one message per error, announced once),
 * else the message (a field this form does not show, or an error without fields).
 */
export function leftoverError(
  error: string | undefined,
  errors: Record<string, string> | undefined,
  shown: readonly string[],
): string | undefined {
  if (!error) return undefined;
  const keys = Object.keys(errors ?? {});
  return keys.length && keys.every((k) => shown.includes(k)) ? undefined : error;
}
