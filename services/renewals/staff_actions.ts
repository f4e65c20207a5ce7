// What attendants and supervisors do on a renewal: claim or assign, record contacts and the
// customer's choice, send the link, review the holder photo, change the plan, send the signing
// link, register the signature (contract + ticket), send the final message, close or cancel.
export type { StaffCtx } from "./env.ts";
export { assignContract, claimContract, startOnDemand } from "./assignment.ts";
export {
  type ContactEntry,
  type ContactInput,
  contactLog,
  recordContact,
  sendLink,
} from "./contact.ts";
export { recordChoice, recordRefusal } from "./offer.ts";
export { reviewPhoto, viewHolderPhoto } from "./holder_photo.ts";
export { changePlan } from "./plan_change.ts";
export { sendSignature } from "./signature.ts";
export { cancelCase, closeCase, notifyCustomer, registerSignature } from "./register.ts";
