// The messaging layer's one door: code outside services/messaging/ imports from here only
// (app.config.ts reads the settings parser directly: it is loaded before anything else).
export {
  type Channel,
  MESSAGE_STATUS_LABELS,
  type MessageKind,
  type MessageStatus,
} from "./message_types.ts";
export {
  getMessage,
  type Message,
  messagesOfCase,
  openMessage,
  type OutgoingMessage,
  readOutbox,
  stageMessage,
  stageTemplate,
  type TemplateMessage,
} from "./messages.ts";
export { handleJob, type Messaging, scanOnce, startMessaging } from "./dispatcher.ts";
export { deliverMessage, scanDueMessages } from "./delivery.ts";
export { stageReminders } from "./reminders.ts";
export {
  DEFAULT_TEMPLATES,
  getMessageTemplate,
  invoiceLines,
  isTemplateName,
  LIMITS,
  listMessageTemplateVersions,
  previewMessage,
  saveMessageTemplate,
  TEMPLATE_NAMES,
  type TemplateName,
  validateMessageTemplate,
  VARIABLES,
} from "./templates.ts";
export { customerReplyOf, getOptOut, isOptOut, setCustomerReply } from "./replies.ts";
export { acceptWhatsappWebhook, verifyWhatsappSignature } from "./inbound.ts";
export { listDeadLetters, resendCaseMessage, retryDeadLetter } from "./dead_letters.ts";
export { configureMessaging, runtimeOf } from "./runtime.ts";
export { DEFAULT_SETTINGS, type MessagingSettings, parseMessagingEnv } from "./settings.ts";
