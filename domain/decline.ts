// Why a customer declines the renewal: a short list the customer's page offers (optional) and
// the attendant sees next to the free text. Pure and browser-safe.

export const DECLINE_REASONS = {
  price: "O preço não cabe no meu orçamento",
  loyalty: "Não quero fidelidade agora",
  quality: "Estou insatisfeito com a conexão ou o atendimento",
  moving: "Vou me mudar",
  competitor: "Vou contratar outra operadora",
  other: "Outro motivo",
} as const;

export type DeclineReason = keyof typeof DECLINE_REASONS;

/** Longest free text kept with a refusal. */
export const DECLINE_TEXT_MAX = 500;

export function isDeclineReason(code: string): code is DeclineReason {
  return Object.hasOwn(DECLINE_REASONS, code);
}
