// The messaging layer's one door: code outside services/messaging/ imports from here only
// (app.config.ts reads the settings parser directly: it is loaded before anything else).
export { MESSAGE_STATUS_LABELS } from "./message_types.ts";
export {
  type Message,
  messagesOfCase,
  openMessage,
  readOutbox,
  stageMessage,
  stageTemplate,
} from "./messages.ts";
export { startMessaging } from "./dispatcher.ts";
export { getOptOut, recordOptIn, recordOptOut } from "./replies.ts";
export { REMINDER_TEMPLATES, stageReminders } from "./reminders.ts";
export {
  activationText,
  DEFAULT_TEMPLATES,
  getMessageTemplate,
  invoiceLines,
  isTemplateName,
  LIMITS,
  listMessageTemplateVersions,
  loadTemplates,
  previewMessage,
  saveMessageTemplate,
  TEMPLATE_NAMES,
  type TemplateName,
  type TemplateSet,
  validateMessageTemplate,
  VARIABLES,
} from "./templates.ts";
export { acceptWhatsappWebhook, verifyWhatsappSignature } from "./inbound.ts";
export { listDeadLetters, resendCaseMessage, retryDeadLetter } from "./dead_letters.ts";
export { configureMessaging } from "./runtime.ts";
export { runtimeOf } from "./runtime.ts";
