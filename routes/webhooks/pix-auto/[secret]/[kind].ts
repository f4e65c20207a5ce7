// Some PSPs append the resource to the registered webhook URL (…/rec, …/cobr).
export { default } from "../_handler.ts";
