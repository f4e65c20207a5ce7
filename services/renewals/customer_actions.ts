// What the customer does on their personal page: choose a plan with explicit consent, refuse,
// send the holder photo, confirm or correct contacts (a changed one confirmed by a code), sign.

// The holder photo has its own module; re-exported so callers keep one import.
export { uploadPhoto } from "./photos.ts";
export { type CustomerCtx } from "./env.ts";
export { choosePlan, declineOffer } from "./offer.ts";
export { pendingContactsOf, submitContacts, verifyContactCodes } from "./contact_confirmation.ts";
