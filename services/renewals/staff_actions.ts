// What attendants and supervisors do on a renewal, one phase per file (assignment, contact,
// offer, holder photo, plan change, signature, register/close); re-exported here so callers
// keep one import.
export type { RenewalEnv, StaffCtx } from "./env.ts";
export {
  assignContract,
  claimCase,
  claimContract,
  releaseCase,
  startOnDemand,
} from "./assignment.ts";
export { type ContactInput, recordContact, sendLink } from "./contact.ts";
export { type ContactEntry, contactLog } from "./contact_log.ts";
export { recordChoice, recordRefusal } from "./offer.ts";
export { reviewPhoto, viewHolderPhoto } from "./holder_photo.ts";
export { changePlan } from "./plan_change.ts";
export { sendSignature } from "./signature.ts";
export { advanceCase, systemCtx } from "./advance.ts";
export { cancelCase, closeCase, notifyCustomer, registerSignature } from "./register.ts";
