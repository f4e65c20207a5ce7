// Pix Automático callbacks (handler in ./_handler.ts, shared with the …/rec, …/cobr form).
export { default } from "./_handler.ts";
