// Limits that both the browser and the server check (the browser only to save a wasted
// upload; the server always decides). Pure, browser-safe.

/** Largest holder photo accepted as sent, before the server re-encodes it. */
export const MAX_PHOTO_BYTES = 8 * 1024 * 1024;

/** Photo types the holder check accepts (the server reads the type from the bytes). */
export const PHOTO_TYPES = ["image/jpeg", "image/png", "image/webp"] as const;
