// What the customer does on their personal page, one phase per file: choose a plan or refuse
// (offer.ts), send the holder photo (photos.ts), confirm or correct contacts
// (contact_confirmation.ts); signing is in signing.ts. Re-exported so callers keep one import.
export { uploadPhoto } from "./photos.ts";
export { type CustomerCtx } from "./env.ts";
export { choosePlan, declineOffer } from "./offer.ts";
export { submitContacts, verifyContactCodes } from "./contact_confirmation.ts";
export { pendingContactsOf } from "./pending_contacts.ts";
