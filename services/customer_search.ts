// Staff search for a customer by what the customer says on the phone: CPF/CNPJ, a phone
// number, a protocol (atendimento) number or the name. Every personal field is found through
// its keyed blind index (services/customers.ts); a protocol through tickets_by_protocol.
import type { Db } from "./db.ts";
import { keys } from "./keys.ts";
import {
  type Customer,
  customerIdsByName,
  customerIdsByPhone,
  findCustomerByDocument,
  getCustomers,
  nameTokens,
  normalizeDocument,
  normalizePhone,
} from "./customers.ts";
import type { Ticket } from "./tickets.ts";

export type SearchVia = "document" | "phone" | "protocol" | "name";

export interface SearchResult {
  via?: SearchVia;
  customers: Customer[];
  /** Set when the query could not name anybody (pt-BR, shown to the attendant). */
  message?: string;
}

/** The most customers one search lists: a common name narrows with a second word. */
export const SEARCH_LIMIT = 20;
export const SEARCH_MAX_CHARS = 100;

const PROTOCOL_RE = /^\d{14}$/;

export async function searchCustomers(db: Db, input: string): Promise<SearchResult> {
  if (input.length > SEARCH_MAX_CHARS) {
    return { customers: [], message: `Busca longa demais (até ${SEARCH_MAX_CHARS} caracteres).` };
  }
  const q = input.trim().replace(/\s+/g, " ");
  if (!q) return { customers: [], message: "Digite um nome, telefone, CPF/CNPJ ou protocolo." };
  const digits = q.replace(/\D/g, "");
  const hasLetters = /\p{L}/u.test(q);
  const found = (via: SearchVia, customers: Customer[]): SearchResult => ({ via, customers });

  if (normalizeDocument(q)) {
    const c = await findCustomerByDocument(db, q);
    if (c) return found("document", [c]);
  }
  if (!hasLetters && PROTOCOL_RE.test(digits)) {
    const ticketId = (await db.kv.get<string>(keys.ticketByProtocol(digits))).value;
    const ticket = ticketId ? (await db.kv.get<Ticket>(keys.ticket(ticketId))).value : null;
    if (ticket) {
      return found("protocol", [...(await getCustomers(db, [ticket.customerId])).values()]);
    }
  }
  const phone = hasLetters ? null : normalizePhone(q);
  if (phone) {
    const ids = (await customerIdsByPhone(db, phone)).slice(0, SEARCH_LIMIT);
    if (ids.length) return found("phone", sorted(await getCustomers(db, ids)));
  }
  if (hasLetters) {
    if (!nameTokens(q).length) {
      return { customers: [], message: "Digite ao menos um nome completo (ex.: Maria Souza)." };
    }
    const ids = await customerIdsByName(db, q, SEARCH_LIMIT);
    if (ids.length) return found("name", sorted(await getCustomers(db, ids)));
    return {
      customers: [],
      message: "Nenhum cliente com este nome. Digite nomes inteiros, sem abreviar.",
    };
  }
  if (digits.length < 10) {
    return {
      customers: [],
      message: "Número curto demais: digite o CPF/CNPJ, o telefone com DDD ou o protocolo.",
    };
  }
  return {
    customers: [],
    message: "Nenhum cliente com este CPF/CNPJ, telefone ou protocolo. Confira os dígitos.",
  };
}

const sorted = (m: Map<string, Customer>) =>
  [...m.values()].sort((a, b) => a.name.localeCompare(b.name, "pt-BR"));
