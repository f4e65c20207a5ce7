// Message catalogue lookup. pt-BR is the default; {name} placeholders are filled from params.
import { type MessageKey, ptBR } from "./i18n/pt-BR.ts";
import { en } from "./i18n/en.ts";

export type { MessageKey };
export type Locale = "pt-BR" | "en";
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

const catalogues: Record<Locale, Record<MessageKey, string>> = { "pt-BR": ptBR, en };

export function translator(locale: Locale = "pt-BR"): Translate {
  const cat = catalogues[locale];
  return (key, params) =>
    cat[key].replace(/\{(\w+)\}/g, (_, name) => String(params?.[name] ?? `{${name}}`));
}
