// What can happen at each renewal step, in one table that every surface reads: the staff
// console, the customer's page, the offline app, the stale-case job and the service verbs.
// Who may take which action comes from TRANSITIONS (steps.ts); this file adds what a screen
// needs around it (labels, whose turn it is, the customer's stage, the link rule). Pure and
// browser-safe: islands import it.
import { type Action, type ActorKind, decide, type Step, STEPS, TRANSITIONS } from "./steps.ts";

/** Whose move it is: the customer's (their page asks something), staff's, or nobody's (ended). */
export type Turn = "customer" | "staff" | "none";

/** The five stages the customer's page shows: Plano, Foto, Dados, Contrato, Pronto. */
export const CUSTOMER_STAGES = ["Plano", "Foto", "Dados", "Contrato", "Pronto"] as const;

export interface StepPolicy {
  /** pt-BR name of the step (badges, lists, timeline). */
  label: string;
  /** What the attendant should do next (lists, case page). */
  next: string;
  turn: Turn;
  /** Index into CUSTOMER_STAGES. */
  stage: number;
  /** The staff action that moves this step forward: the case page's main button. */
  button?: StaffAction;
  /**
   * Whether staff may (re)send the customer's link. Rule: while the customer's page asks them
   * something before signing — their turn, or a photo under review they may still replace.
   * Sending a link also schedules reminders, and a provider does not nag a customer who is
   * waiting on staff (data confirmed, plan changed) or has signed (the contract and invoices
   * then go by message).
   */
  link: boolean;
  /**
   * Renova takes this step's `button` itself as soon as the case arrives here: a staff move
   * that needs no judgement and waits on nobody (the plan change is Renova's own record, and
   * the signing link, the register and the final message follow from what is already there).
   * Each is still its own step with its own audit event; the button stays as the fallback
   * when the automatic move was refused (services/renewals/advance.ts).
   */
  auto?: boolean;
}

/** Staff verbs on a case page. Each is also the URL slug (/app/cases/:id/<verb>). */
export type StaffAction =
  | "contact"
  | "choose_plan"
  | "decline"
  | "send_link"
  | "approve_photo"
  | "reject_photo"
  | "change_plan"
  | "send_signature"
  | "register"
  | "notify"
  | "close"
  | "cancel";

/** Everything a staff form may post to a case: the step verbs plus claiming and messages. */
export type CaseVerb = StaffAction | "claim" | "release" | "resend";

export const STEP_POLICY: Record<Step, StepPolicy> = {
  contact: {
    label: "Contatar cliente",
    next: "Ligar ou enviar mensagem",
    turn: "customer",
    stage: 0,
    link: true,
  },
  offer: {
    label: "Oferta apresentada",
    next: "Enviar o link com os planos",
    turn: "customer",
    stage: 0,
    link: true,
  },
  plan_chosen: {
    label: "Plano escolhido",
    next: "Aguardar a foto do cliente",
    turn: "customer",
    stage: 1,
    link: true,
  },
  photo_sent: {
    label: "Foto enviada",
    next: "Revisar a foto do titular",
    turn: "staff",
    stage: 1,
    link: true,
  },
  photo_rejected: {
    label: "Foto recusada",
    next: "Aguardar nova foto",
    turn: "customer",
    stage: 1,
    link: true,
  },
  holder_verified: {
    label: "Titular verificado",
    next: "Aguardar confirmação dos dados",
    turn: "customer",
    stage: 2,
    link: true,
  },
  data_confirmed: {
    label: "Dados confirmados",
    next: "Alterar o plano e enviar o link de assinatura",
    turn: "staff",
    stage: 3,
    button: "change_plan",
    link: false,
    auto: true,
  },
  plan_changed: {
    label: "Plano alterado",
    next: "Enviar link de assinatura",
    turn: "staff",
    stage: 3,
    button: "send_signature",
    link: false,
    auto: true,
  },
  signature_sent: {
    label: "Link de assinatura enviado",
    next: "Aguardar assinatura",
    turn: "customer",
    stage: 3,
    link: true,
  },
  signed: {
    label: "Contrato assinado",
    next: "Confirmar assinatura e enviar faturas",
    turn: "staff",
    stage: 4,
    button: "register",
    link: false,
    auto: true,
  },
  registered: {
    label: "Registrado no cadastro",
    next: "Enviar mensagem final e faturas",
    turn: "staff",
    stage: 4,
    button: "notify",
    link: false,
    auto: true,
  },
  notified: {
    label: "Cliente avisado",
    next: "Encerrar o atendimento",
    turn: "staff",
    stage: 4,
    button: "close",
    link: false,
  },
  closed: { label: "Encerrado", next: "—", turn: "none", stage: 4, link: false },
  declined: { label: "Recusou", next: "—", turn: "none", stage: 4, link: false },
  unreachable: { label: "Sem contato", next: "—", turn: "none", stage: 4, link: false },
  expired: { label: "Expirado", next: "—", turn: "none", stage: 4, link: false },
  cancelled: { label: "Cancelado", next: "—", turn: "none", stage: 4, link: false },
};

/** The button label of each staff verb, the one place the console and the offline app read. */
export const STAFF_BUTTONS: Record<StaffAction, string> = {
  contact: "Registrar contato",
  choose_plan: "Registrar escolha do cliente",
  decline: "Registrar recusa",
  send_link: "Enviar link do cliente",
  approve_photo: "Aprovar: é o titular",
  reject_photo: "Recusar foto",
  // The click runs the steps after it that need nobody (advance.ts): the label says so.
  change_plan: "Alterar plano e enviar link de assinatura",
  send_signature: "Enviar link de assinatura",
  register: "Confirmar assinatura e enviar faturas",
  notify: "Enviar mensagem final e faturas",
  close: "Encerrar atendimento",
  cancel: "Cancelar renovação",
};

/** Label of the link button: a case that already has a link gets a new one. */
export function linkButton(hasLink: boolean): string {
  return hasLink ? "Reenviar link do cliente" : STAFF_BUTTONS.send_link;
}

const ALL_ACTIONS = Object.keys(TRANSITIONS) as Action[];

/** Every action `actor` may take on a case in `step`, in TRANSITIONS order. */
export function allowedActions(step: Step, actor: ActorKind): Action[] {
  return ALL_ACTIONS.filter((a) => decide(step, a, actor).ok);
}

export function can(step: Step, action: Action, actor: ActorKind): boolean {
  return decide(step, action, actor).ok;
}

/** The steps where `actor` may take `action` (a verb that prepares it checks these). */
export function stepsWhere(action: Action, actor: ActorKind): Step[] {
  return STEPS.filter((s) => can(s, action, actor));
}

/** Whether `actor` may ever take `action`, at some step (who, not when). */
export function mayTake(action: Action, actor: ActorKind): boolean {
  return STEPS.some((s) => can(s, action, actor));
}

/** A refused move, with the pt-BR reason; services turn it into their HTTP errors. */
export class PolicyRefusal extends Error {
  constructor(readonly reason: "illegal" | "forbidden", message: string) {
    super(message);
  }
}

/** Messages for actions only some people may take, shown instead of a generic refusal. */
const FORBIDDEN: Partial<Record<Action, string>> = {
  cancel: "Só supervisores podem cancelar uma renovação.",
};

export function forbiddenMessage(action: Action): string {
  return FORBIDDEN[action] ?? "Você não tem permissão para isso.";
}

/** The step `action` leads to, or a PolicyRefusal saying why it may not be taken. */
export function assertCan(
  step: Step,
  action: Action,
  actor: ActorKind,
  failedContacts = 0,
): Step {
  const d = decide(step, action, actor, failedContacts);
  if (d.ok) return d.to;
  if (d.reason === "forbidden") throw new PolicyRefusal("forbidden", forbiddenMessage(action));
  throw new PolicyRefusal("illegal", notAvailableAt(step));
}

/** The pt-BR refusal for an action the case's step does not offer (a stale page). */
export function notAvailableAt(step: Step): string {
  return `Esta ação não está disponível na etapa atual (${
    STEP_POLICY[step].label
  }). Recarregue a página.`;
}

/** The staff move Renova takes itself at this step, if any, for an actor of `kind`. */
export function autoAction(step: Step, kind: ActorKind): StaffAction | undefined {
  const p = STEP_POLICY[step];
  return p.auto && p.button && can(step, p.button as Action, kind) ? p.button : undefined;
}

/** Whether staff may (re)send the customer's link at this step. */
export function canSendLink(step: Step): boolean {
  return STEP_POLICY[step].link;
}

/**
 * Whether the case is waiting on the customer with a link that still works: their turn and a
 * live link. The case page then says "Aguardando o cliente" instead of the step's `next`, which
 * reads as "not sent yet" (#16). `now` is an ISO time (the store's clock).
 */
export function waitingOnCustomer(
  step: Step,
  link: { expiresAt: string } | undefined,
  now: string,
): boolean {
  return STEP_POLICY[step].turn === "customer" && !!link && link.expiresAt > now;
}

/** Steps where the next move is the customer's (the stale-case job looks only at these). */
export const CUSTOMER_TURN: readonly Step[] = STEPS.filter((s) =>
  STEP_POLICY[s].turn === "customer"
);

/**
 * The labels of the actions that move a case on at this step (photo review, the main button,
 * the link), as the case page shows them: the offline app lists them as "needs a connection".
 */
export function nextButtons(step: Step, hasLink: boolean): string[] {
  const out: string[] = [];
  if (can(step, "approve_photo", "staff")) out.push(STAFF_BUTTONS.approve_photo);
  if (can(step, "reject_photo", "staff")) out.push(STAFF_BUTTONS.reject_photo);
  const button = STEP_POLICY[step].button;
  if (button) out.push(STAFF_BUTTONS[button]);
  if (canSendLink(step)) out.push(linkButton(hasLink));
  return out;
}

/**
 * Ended steps whose customer link stays (read-only): a closed renewal's page keeps its invoices,
 * PIX and signed contract; a declined one keeps its calm page; an expired one keeps the record
 * so the customer can ask for a new link from it (the link itself has run out). Other ends
 * (cancelled, unreachable) revoke the link at once. Every POST on such a link is refused.
 */
export const LINK_KEPT_AFTER_END: readonly Step[] = ["closed", "declined", "expired"];

export function keepsLinkAfterEnd(step: Step): boolean {
  return LINK_KEPT_AFTER_END.includes(step);
}
