// How an attendant reaches a customer and what came of it: the options of the contact form on
// the case page and in the offline app, and what the server accepts. Pure, browser-safe.

export const CONTACT_OUTCOMES = {
  answered: "Atendeu",
  no_answer: "Não atendeu",
  callback: "Pediu retorno",
  wrong_number: "Número errado",
  declined: "Recusou",
} as const;
export type ContactOutcome = keyof typeof CONTACT_OUTCOMES;

export const CONTACT_CHANNELS = {
  phone: "Ligação",
  whatsapp: "WhatsApp",
  email: "E-mail",
  sms: "SMS",
} as const;
export type ContactChannel = keyof typeof CONTACT_CHANNELS;
