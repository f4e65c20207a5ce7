// The fields an import fills and the presets that map an ERP's column names onto them:
// "ixc" (IXC Provedor's cliente / cliente_contrato field names) and "renova" (the header of
// `deno task gen`). A mapping is one column index per field (-1 = not in the file).

export const FIELDS = [
  { key: "customerErpId", label: "ID do cliente no ERP", required: true },
  { key: "contractErpId", label: "ID do contrato no ERP (sem ele: um contrato por cliente)" },
  { key: "name", label: "Nome ou razão social", required: true },
  { key: "document", label: "CPF ou CNPJ", required: true },
  { key: "mobile", label: "Celular (WhatsApp)" },
  { key: "phone", label: "Telefone" },
  { key: "email", label: "E-mail" },
  { key: "street", label: "Logradouro", required: true },
  { key: "number", label: "Número" },
  { key: "district", label: "Bairro" },
  { key: "city", label: "Cidade", required: true },
  { key: "state", label: "UF", required: true },
  { key: "zip", label: "CEP" },
  { key: "plan", label: "Plano (ID ou código no ERP)", required: true },
  { key: "startDate", label: "Data de ativação" },
  { key: "loyaltyStart", label: "Início da fidelidade (sem ela: 12 meses antes do fim)" },
  { key: "loyaltyEnd", label: "Fim da fidelidade", required: true },
  { key: "status", label: "Situação do contrato (sem ela: ativo)" },
] as const;

export type FieldKey = typeof FIELDS[number]["key"];
export type ColumnMapping = Record<FieldKey, number>;

export const PRESETS = {
  ixc: {
    label: "IXC Provedor (cliente + cliente_contrato)",
    // Candidates in order; a column taken by an earlier field is not reused, so in a joined
    // export `id_cliente` is the customer and `id` the contract.
    columns: {
      customerErpId: ["id_cliente", "id"],
      contractErpId: ["id_contrato", "id"],
      name: ["razao", "nome", "fantasia"],
      document: ["cnpj_cpf", "cpf_cnpj"],
      mobile: ["telefone_celular", "whatsapp"],
      phone: ["fone", "telefone_comercial"],
      email: ["email"],
      street: ["endereco"],
      number: ["numero"],
      district: ["bairro"],
      city: ["cidade"],
      state: ["uf"],
      zip: ["cep"],
      plan: ["id_plano", "id_vd_contrato", "plano_id", "plano"],
      startDate: ["data_ativacao"],
      loyaltyStart: ["data_renovacao", "data_inicio_fidelidade"],
      loyaltyEnd: ["data_expiracao", "data_fim_fidelidade"],
      status: ["status"],
    },
  },
  renova: {
    label: "Renova (arquivo de deno task gen)",
    columns: {
      customerErpId: ["id_cliente"],
      contractErpId: ["id_contrato"],
      name: ["nome"],
      document: ["cpf_cnpj"],
      mobile: ["celular"],
      phone: ["telefone"],
      email: ["email"],
      street: ["logradouro"],
      number: ["numero"],
      district: ["bairro"],
      city: ["cidade"],
      state: ["uf"],
      zip: ["cep"],
      plan: ["plano"],
      startDate: ["data_ativacao"],
      loyaltyStart: ["inicio_fidelidade"],
      loyaltyEnd: ["fim_fidelidade"],
      status: ["situacao"],
    },
  },
} as const satisfies Record<
  string,
  { label: string; columns: Record<FieldKey, readonly string[]> }
>;

export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

export function isPreset(name: string): name is PresetName {
  return Object.hasOwn(PRESETS, name);
}

/** Header text as compared: lower case, no accents, spaces and dashes as "_". */
export function normalizeHeader(h: string): string {
  return h.normalize("NFD").replace(/[\u0300-\u036f]/g, "").trim().toLowerCase()
    .replace(/[\s-]+/g, "_");
}

export function emptyMapping(): ColumnMapping {
  return Object.fromEntries(FIELDS.map((f) => [f.key, -1])) as ColumnMapping;
}

/** The preset's column for each field, by header name. */
export function presetMapping(preset: PresetName, headers: string[]): ColumnMapping {
  const norm = headers.map(normalizeHeader);
  const taken = new Set<number>();
  const out = emptyMapping();
  const cols = PRESETS[preset].columns as Record<FieldKey, readonly string[]>;
  for (const f of FIELDS) {
    for (const name of cols[f.key]) {
      const i = norm.findIndex((h, j) => h === name && !taken.has(j));
      if (i >= 0) {
        out[f.key] = i;
        taken.add(i);
        break;
      }
    }
  }
  return out;
}

/** The preset whose names match the most columns of this header. */
export function guessPreset(headers: string[]): PresetName {
  let best: PresetName = "ixc";
  let bestScore = -1;
  for (const p of PRESET_NAMES) {
    const score = Object.values(presetMapping(p, headers)).filter((i) => i >= 0).length;
    if (score > bestScore) [best, bestScore] = [p, score];
  }
  return best;
}

/** pt-BR problems with a mapping (missing required fields, a column used twice). */
export function mappingProblems(m: ColumnMapping, columns: number): string[] {
  const out: string[] = [];
  for (const f of FIELDS) {
    const i = m[f.key];
    if (i >= columns || i < -1 || !Number.isInteger(i)) out.push(`${f.label}: coluna inválida.`);
    else if ("required" in f && f.required && i < 0) out.push(`Escolha a coluna de "${f.label}".`);
  }
  if (m.mobile < 0 && m.phone < 0) out.push("Escolha ao menos uma coluna de telefone.");
  const used = Object.values(m).filter((i) => i >= 0);
  if (new Set(used).size !== used.length) out.push("Uma coluna foi escolhida para dois campos.");
  return out;
}
