// The renewal steps and the one transition table that governs them. Pure: no I/O, so every
// legal and illegal move is unit-tested without a store.

export const OPEN_STEPS = [
  "contact",
  "offer",
  "plan_chosen",
  "photo_sent",
  "photo_rejected",
  "holder_verified",
  "data_confirmed",
  "plan_changed",
  "signature_sent",
  "signed",
  "registered",
  "notified",
] as const;
export const TERMINAL_STEPS = [
  "closed",
  "declined",
  "unreachable",
  "expired",
  "cancelled",
] as const;
export const STEPS = [...OPEN_STEPS, ...TERMINAL_STEPS] as const;
export type Step = typeof STEPS[number];

export type Action =
  | "contact_answered"
  | "contact_failed"
  | "choose_plan"
  | "decline"
  | "upload_photo"
  | "approve_photo"
  | "reject_photo"
  | "confirm_data"
  | "change_plan"
  | "send_signature"
  | "sign"
  | "register"
  | "notify"
  | "close"
  | "expire"
  | "cancel";

/** Who may take an action: staff on the case, a supervisor, the customer, or the system. */
export type ActorKind = "staff" | "supervisor" | "customer" | "system";

/** Steps before the signature, where the customer can still walk away. */
const BEFORE_SIGNING: readonly Step[] = OPEN_STEPS.slice(0, OPEN_STEPS.indexOf("signed"));

interface Rule {
  from: readonly Step[];
  /** Target step; "same" keeps the step (a recorded attempt that moves nothing). */
  to: Step | "same";
  by: readonly ActorKind[];
}

export const TRANSITIONS: Record<Action, Rule> = {
  contact_answered: { from: ["contact", "offer"], to: "offer", by: ["staff"] },
  contact_failed: { from: ["contact", "offer"], to: "same", by: ["staff"] },
  choose_plan: {
    from: ["contact", "offer", "plan_chosen"],
    to: "plan_chosen",
    by: ["customer", "staff"],
  },
  decline: { from: BEFORE_SIGNING, to: "declined", by: ["customer", "staff"] },
  upload_photo: {
    from: ["plan_chosen", "photo_rejected", "photo_sent"],
    to: "photo_sent",
    by: ["customer"],
  },
  approve_photo: { from: ["photo_sent"], to: "holder_verified", by: ["staff"] },
  reject_photo: { from: ["photo_sent"], to: "photo_rejected", by: ["staff"] },
  confirm_data: { from: ["holder_verified"], to: "data_confirmed", by: ["customer"] },
  // "system": Renova takes these itself once the customer's data is confirmed (policy.ts `auto`).
  change_plan: { from: ["data_confirmed"], to: "plan_changed", by: ["staff", "system"] },
  send_signature: { from: ["plan_changed"], to: "signature_sent", by: ["staff", "system"] },
  sign: { from: ["signature_sent"], to: "signed", by: ["customer"] },
  register: { from: ["signed"], to: "registered", by: ["staff", "system"] },
  notify: { from: ["registered"], to: "notified", by: ["staff", "system"] },
  close: { from: ["notified"], to: "closed", by: ["staff"] },
  expire: { from: BEFORE_SIGNING, to: "expired", by: ["system"] },
  cancel: { from: BEFORE_SIGNING, to: "cancelled", by: ["supervisor"] },
};

/** After this many failed contact attempts the case becomes "unreachable". */
export const MAX_FAILED_CONTACTS = 5;

export type Decision =
  | { ok: true; to: Step }
  | { ok: false; reason: "illegal" | "forbidden" };

/**
 * The next step for `action` taken by `by` on a case in `step`. `failedContacts` is the count
 * after this attempt (only used by contact_failed).
 */
export function decide(step: Step, action: Action, by: ActorKind, failedContacts = 0): Decision {
  const rule = TRANSITIONS[action];
  if (!rule.from.includes(step)) return { ok: false, reason: "illegal" };
  // A supervisor may do whatever staff may do.
  const kinds: ActorKind[] = by === "supervisor" ? ["supervisor", "staff"] : [by];
  if (!kinds.some((k) => rule.by.includes(k))) return { ok: false, reason: "forbidden" };
  if (action === "contact_failed") {
    return { ok: true, to: failedContacts >= MAX_FAILED_CONTACTS ? "unreachable" : step };
  }
  return { ok: true, to: rule.to === "same" ? step : rule.to };
}

export function isTerminal(step: Step): boolean {
  return (TERMINAL_STEPS as readonly string[]).includes(step);
}

/** pt-BR names of the actions, for the timeline (step labels live in policy.ts). */
export const ACTION_LABELS: Record<Action, string> = {
  contact_answered: "Cliente atendeu",
  contact_failed: "Tentativa de contato sem sucesso",
  choose_plan: "Plano escolhido",
  decline: "Renovação recusada",
  upload_photo: "Foto do titular enviada",
  approve_photo: "Foto aprovada",
  reject_photo: "Foto recusada",
  confirm_data: "Dados confirmados",
  change_plan: "Plano alterado no cadastro",
  send_signature: "Link de assinatura enviado",
  sign: "Contrato assinado",
  register: "Assinatura confirmada; atendimento aberto",
  notify: "Mensagem final e faturas enviadas",
  close: "Atendimento encerrado",
  expire: "Caso expirado",
  cancel: "Caso cancelado",
};
