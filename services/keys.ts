// Every KV key in one place. Primary records: [plural, id]. Indexes: [x_by_y, ...y, id].
// The last part of list keys is a ULID so lists are chronological and pageable by cursor.

export const keys = {
  schemaVersion: () => ["meta", "schema_version"] as const,
  dataKeyMaterial: () => ["meta", "data_key"] as const,
  seeded: () => ["meta", "seeded"] as const,

  user: (id: string) => ["users", id] as const,
  users: () => ["users"] as const,
  userByUsername: (username: string) => ["users_by_username", username] as const,

  session: (tokenHash: string) => ["sessions", tokenHash] as const,
  sessionsByUser: (userId: string, tokenHash: string) =>
    ["sessions_by_user", userId, tokenHash] as const,
  sessionsOfUser: (userId: string) => ["sessions_by_user", userId] as const,

  rateLimit: (scope: string, subject: string) => ["rate_limits", scope, subject] as const,

  plan: (id: string) => ["plans", id] as const,
  plans: () => ["plans"] as const,
  planByOfferCode: (code: string) => ["plans_by_offer_code", code] as const,

  customer: (id: string) => ["customers", id] as const,
  customers: () => ["customers"] as const,
  customerByCpf: (cpfIndex: string) => ["customers_by_cpf", cpfIndex] as const,
  customerByErpId: (erpId: string) => ["customers_by_erp_id", erpId] as const,

  contract: (id: string) => ["contracts", id] as const,
  contracts: () => ["contracts"] as const,
  contractsByCustomer: (customerId: string, contractId: string) =>
    ["contracts_by_customer", customerId, contractId] as const,
  contractsOfCustomer: (customerId: string) => ["contracts_by_customer", customerId] as const,
  /** Due index: loyalty end date (YYYY-MM-DD) then contract id; value is a tiny summary. */
  contractsByDue: (loyaltyEnd: string, contractId: string) =>
    ["contracts_by_due", loyaltyEnd, contractId] as const,
  contractsDue: () => ["contracts_by_due"] as const,

  blob: (id: string) => ["blobs", id] as const,
  blobChunk: (id: string, n: number) => ["blob_chunks", id, n] as const,
  blobChunks: (id: string) => ["blob_chunks", id] as const,

  case: (id: string) => ["cases", id] as const,
  cases: () => ["cases"] as const,
  casesByStep: (step: string, caseId: string) => ["cases_by_step", step, caseId] as const,
  casesInStep: (step: string) => ["cases_by_step", step] as const,
  casesByAssignee: (userId: string, caseId: string) =>
    ["cases_by_assignee", userId, caseId] as const,
  casesOfAssignee: (userId: string) => ["cases_by_assignee", userId] as const,
  /** At most one open renewal per contract: this key exists while one is open. */
  openCaseByContract: (contractId: string) => ["open_case_by_contract", contractId] as const,
  caseContact: (caseId: string, id: string) => ["case_contacts", caseId, id] as const,
  caseContacts: (caseId: string) => ["case_contacts", caseId] as const,

  /** Customer links by SHA-256 of the token; the token itself is never stored. */
  link: (tokenHash: string) => ["links", tokenHash] as const,

  message: (id: string) => ["messages", id] as const,
  messagesByCase: (caseId: string, id: string) => ["messages_by_case", caseId, id] as const,
  messagesOfCase: (caseId: string) => ["messages_by_case", caseId] as const,
  messages: () => ["messages"] as const,

  ticket: (id: string) => ["tickets", id] as const,
  ticketByProtocol: (protocol: string) => ["tickets_by_protocol", protocol] as const,
  protocolSeq: (day: string) => ["protocol_seq", day] as const,

  /** The demo signing certificate: blob id + sealed passphrase (embedded default only). */
  signingP12: () => ["meta", "signing_p12"] as const,
  /** Signed contracts by the SHA-256 of the final file, for /verificar. */
  signedContractBySha: (sha256: string) => ["signed_contracts_by_sha", sha256] as const,
  signedContract: (id: string) => ["signed_contracts", id] as const,

  /** Contract template versions: the version number last, so a list is ordered. */
  contractTemplate: (version: number) => ["contract_templates", version] as const,
  contractTemplates: () => ["contract_templates"] as const,
  contractTemplateCurrent: () => ["meta", "contract_template_current"] as const,

  billingSettings: () => ["settings", "billing"] as const,
  nossoNumeroSeq: () => ["meta", "nosso_numero_seq"] as const,

  links: () => ["links"] as const,
  retentionRun: (id: string) => ["retention_runs", id] as const,

  audit: (id: string) => ["audit_events", id] as const,
  auditBySubject: (subject: string, id: string) =>
    ["audit_events_by_subject", subject, id] as const,
  auditOfSubject: (subject: string) => ["audit_events_by_subject", subject] as const,
};
