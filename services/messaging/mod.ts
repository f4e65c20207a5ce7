// The messaging layer's public surface. stageMessage itself lives in services/messages.ts
// (the call sites import it from there).
export { handleJob, type Messaging, scanOnce, startMessaging } from "./dispatcher.ts";
export { deliverMessage, scanDueMessages } from "./delivery.ts";
export { stageReminders } from "./reminders.ts";
export {
  DEFAULT_TEMPLATES,
  invoiceLines,
  renderMessage,
  TEMPLATE_NAMES,
  type TemplateName,
} from "./templates.ts";
export { customerReplyOf, getOptOut, isOptOut, setCustomerReply } from "./replies.ts";
export { acceptWhatsappWebhook, verifyWhatsappSignature } from "./inbound.ts";
export { listDeadLetters, resendCaseMessage, retryDeadLetter } from "./dead_letters.ts";
export { configureMessaging, runtimeOf } from "./runtime.ts";
export { DEFAULT_SETTINGS, type MessagingSettings, parseMessagingEnv } from "./settings.ts";
