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
  /** Live-update streams open on one customer link: leases by stream id. */
  liveStreams: (linkHash: string) => ["live_streams", linkHash] as const,

  plan: (id: string) => ["plans", id] as const,
  plans: () => ["plans"] as const,
  /** Rewritten with every plan write, so readers can tell the plan list changed by its stamp. */
  plansVersion: () => ["meta", "plans_version"] as const,
  planByOfferCode: (code: string) => ["plans_by_offer_code", code] as const,
  /** How the customer's plan page orders the offers (admin setting; rewritten with plansVersion). */
  planOrder: () => ["meta", "plan_order"] as const,

  customer: (id: string) => ["customers", id] as const,
  customers: () => ["customers"] as const,
  customerByCpf: (cpfIndex: string) => ["customers_by_cpf", cpfIndex] as const,
  customerByErpId: (erpId: string) => ["customers_by_erp_id", erpId] as const,
  /** Phone blind index (not unique: a family may share a phone) → customer id. */
  customerByPhone: (phoneIndex: string, customerId: string) =>
    ["customers_by_phone", phoneIndex, customerId] as const,
  customersWithPhone: (phoneIndex: string) => ["customers_by_phone", phoneIndex] as const,

  contract: (id: string) => ["contracts", id] as const,
  contracts: () => ["contracts"] as const,
  contractsByCustomer: (customerId: string, contractId: string) =>
    ["contracts_by_customer", customerId, contractId] as const,
  contractsOfCustomer: (customerId: string) => ["contracts_by_customer", customerId] as const,
  /** Due index: loyalty end date (YYYY-MM-DD) then contract id; value is a tiny summary. */
  contractsByDue: (loyaltyEnd: string, contractId: string) =>
    ["contracts_by_due", loyaltyEnd, contractId] as const,
  contractsDue: () => ["contracts_by_due"] as const,
  /**
   * A mark right under a due entry (services/due_marks.ts): the contract's open case ("open",
   * value: case id) or its last refusal ("decline", value: DeclineMark). Listing the due range
   * reads them with the entries, so the renewal list needs no per-row checks.
   */
  contractDueMark: (loyaltyEnd: string, contractId: string, kind: "open" | "decline") =>
    ["contracts_by_due", loyaltyEnd, contractId, kind] as const,

  blob: (id: string) => ["blobs", id] as const,
  blobChunk: (id: string, n: number) => ["blob_chunks", id, n] as const,
  blobChunks: (id: string) => ["blob_chunks", id] as const,
  /** A blob written but not yet referenced: promoted (deleted) in the atomic that references
   * it; the daily sweep deletes the blob when this is past its expiry. */
  blobPending: (id: string) => ["blobs_pending", id] as const,
  blobsPending: () => ["blobs_pending"] as const,
  blobsAll: () => ["blobs"] as const,
  blobChunksAll: () => ["blob_chunks"] as const,
  ticketsAll: () => ["tickets"] as const,

  case: (id: string) => ["cases", id] as const,
  cases: () => ["cases"] as const,
  casesByStep: (step: string, caseId: string) => ["cases_by_step", step, caseId] as const,
  casesInStep: (step: string) => ["cases_by_step", step] as const,
  casesByAssignee: (userId: string, caseId: string) =>
    ["cases_by_assignee", userId, caseId] as const,
  casesOfAssignee: (userId: string) => ["cases_by_assignee", userId] as const,
  /** At most one open renewal per contract: this key exists while one is open. */
  openCaseByContract: (contractId: string) => ["open_case_by_contract", contractId] as const,
  openCasesByContract: () => ["open_case_by_contract"] as const,
  /**
   * How many cases were ever opened for the contract (KvU64, summed by every opening, never
   * deleted): its versionstamp moves on each opening, so one check on it proves that nobody
   * opened a case (nor planned this contract) since it was read — without the ABA of the
   * open-case key, which is deleted when a case ends.
   */
  caseOpens: (contractId: string) => ["case_opens", contractId] as const,
  /** Open cases nobody holds, by the instant they need a person (domain/person_due.ts): the
   * work queues hand out the entries due by now. Moved by every case write (stageQueueDue). */
  queueDue: (at: string, caseId: string) => ["queue_due", at, caseId] as const,
  queueDues: () => ["queue_due"] as const,
  caseContact: (caseId: string, id: string) => ["case_contacts", caseId, id] as const,
  caseContacts: (caseId: string) => ["case_contacts", caseId] as const,
  /** The contract's last refusal (case id + when): the due list and claims keep a cool-off. */
  contractDeclined: (contractId: string) => ["contract_declines", contractId] as const,
  contractDeclines: () => ["contract_declines"] as const,
  /** Name-token blind index (HMAC of one normalised word of the name) → customer id. */
  customerByNameToken: (tokenIndex: string, customerId: string) =>
    ["customers_by_name_token", tokenIndex, customerId] as const,
  customersWithNameToken: (tokenIndex: string) => ["customers_by_name_token", tokenIndex] as const,

  /** Customer links by SHA-256 of the token; the token itself is never stored. */
  link: (tokenHash: string) => ["links", tokenHash] as const,

  message: (id: string) => ["messages", id] as const,
  messagesByCase: (caseId: string, id: string) => ["messages_by_case", caseId, id] as const,
  messagesOfCase: (caseId: string) => ["messages_by_case", caseId] as const,
  messages: () => ["messages"] as const,
  /** Messages by when somebody should next look at them (due, retry, or lease end). */
  messageDue: (at: string, id: string) => ["messages_by_due_at", at, id] as const,
  messagesDue: () => ["messages_by_due_at"] as const,
  /** Dedupe key (case + step + template…) → the first message id that claimed it. */
  messageByDedupe: (dedupeKey: string) => ["messages_by_dedupe", dedupeKey] as const,
  /** Provider's message id (WhatsApp wamid, Resend id) → our message id, for statuses. */
  messageByProviderId: (provider: string, providerId: string) =>
    ["messages_by_provider_id", provider, providerId] as const,
  /** Jobs that failed for good (keysIfUndelivered and the final failure); admins retry them. */
  deadLetter: (id: string) => ["dead_letters", id] as const,
  deadLetters: () => ["dead_letters"] as const,
  /** Inbound WhatsApp events, sealed, processed through the queue (or the scan). */
  inboundEvent: (id: string) => ["inbound_events", id] as const,
  inboundDue: (at: string, id: string) => ["inbound_events_by_due_at", at, id] as const,
  inboundsDue: () => ["inbound_events_by_due_at"] as const,
  /** Provider message ids of inbound messages already recorded (a redelivery is ignored). */
  inboundSeen: (providerId: string) => ["inbound_seen", providerId] as const,
  /** Webhook events already accepted ("m:<wamid>" or "s:<wamid>:<status>"): a replay is dropped. */
  inboundAccepted: (eventKey: string) => ["inbound_accepted", eventKey] as const,
  /** Customers who answered SAIR/PARAR/STOP: no campaign messages. */
  messageOptOut: (customerId: string) => ["message_opt_outs", customerId] as const,
  /** Last inbound WhatsApp message per phone (blind index): the 24-hour free-text window. */
  whatsappWindow: (phoneIndex: string) => ["whatsapp_windows", phoneIndex] as const,
  /** Message template versions per template name, and the current one's full text. */
  messageTemplate: (name: string, version: number) => ["message_templates", name, version] as const,
  messageTemplateVersions: (name: string) => ["message_templates", name] as const,
  messageTemplateCurrent: (name: string) => ["meta", "message_template_current", name] as const,

  ticket: (id: string) => ["tickets", id] as const,
  ticketByProtocol: (protocol: string) => ["tickets_by_protocol", protocol] as const,
  protocolSeq: (day: string) => ["protocol_seq", day] as const,
  ticketsByProtocol: () => ["tickets_by_protocol"] as const,
  /** A protocol number taken but not used, with the reason (ANATEL: none may vanish). */
  protocolVoided: (protocol: string) => ["protocols_voided", protocol] as const,
  protocolsVoided: () => ["protocols_voided"] as const,

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
  /** Each nosso número sequence value issued → its case and protocol (for audits). */
  nossoNumeroBySeq: (n: number) => ["nosso_numeros_by_seq", n] as const,
  nossoNumerosBySeq: () => ["nosso_numeros_by_seq"] as const,
  nossoNumeroVoided: (n: number) => ["nosso_numeros_voided", n] as const,
  nossoNumerosVoided: () => ["nosso_numeros_voided"] as const,

  links: () => ["links"] as const,
  retentionRun: (id: string) => ["retention_runs", id] as const,

  /** A form submission (hidden `_sub`) already applied, by actor: a repeat answers the same. */
  submission: (actorId: string, submissionId: string) =>
    ["submissions", actorId, submissionId] as const,

  /** Offline sync: what one client mutation (the attendant's outbox) did, by user + its id. */
  offlineMutation: (userId: string, mutationId: string) =>
    ["offline_mutations", userId, mutationId] as const,

  /** ERP import: contract by the ERP's contract id (unique; the upsert key of a re-import). */
  contractByErpId: (erpId: string) => ["contracts_by_erp_id", erpId] as const,
  /** The ERP's plan id (or code) → our plan id, chosen on the import's mapping screen. */
  planByErpId: (erpPlanId: string) => ["plans_by_erp_id", erpPlanId] as const,
  plansByErpId: () => ["plans_by_erp_id"] as const,
  /** Import jobs: settings (mapping, file facts) and, apart, the small progress record that
   * every batch rewrites under a version check. */
  importJob: (id: string) => ["import_jobs", id] as const,
  importJobs: () => ["import_jobs"] as const,
  importProgress: (id: string) => ["import_progress", id] as const,
  /** The uploaded CSV, AES-GCM sealed in 63 KB chunks; deleted when the import ends. */
  importFileChunk: (jobId: string, n: number) => ["import_file_chunks", jobId, n] as const,
  importFileChunks: (jobId: string) => ["import_file_chunks", jobId] as const,
  /** Bad rows of a dry run ("dry") or an import ("run"), by line number. */
  importIssue: (jobId: string, mode: string, line: number) =>
    ["import_issues", jobId, mode, line] as const,
  importIssues: (jobId: string, mode: string) => ["import_issues", jobId, mode] as const,
  /** One import writes at a time: holds the running job's id. */
  importLock: () => ["meta", "import_lock"] as const,

  /** Leases of jobs that must run once at a time (services/leases.ts), by job name. */
  lease: (name: string) => ["leases", name] as const,
  /** When a periodic job last completed (services/ops/daily_jobs.ts), by job name. */
  jobLastRun: (name: string) => ["job_runs", name] as const,

  audit: (id: string) => ["audit_events", id] as const,
  auditBySubject: (subject: string, id: string) =>
    ["audit_events_by_subject", subject, id] as const,
  auditOfSubject: (subject: string) => ["audit_events_by_subject", subject] as const,
  auditAll: () => ["audit_events"] as const,
  /** Retention: the last audit event whose personal data was scrubbed. */
  auditScrubbedUntil: () => ["meta", "audit_scrubbed_until"] as const,
  inboundEvents: () => ["inbound_events"] as const,
  /** A staff read of personal data was audited recently: later reloads are not audited again. */
  readAuditMark: (actorId: string, subject: string, kind: string) =>
    ["read_audit_marks", actorId, subject, kind] as const,
  /** Campaign waves (services/campaigns/): their settings by id. */
  campaignWave: (id: string) => ["campaign_waves", id] as const,
  campaignWaves: () => ["campaign_waves"] as const,
  /** Exactly once per wave, loyalty end and contract: written in the atomic that opens the
   * case and stages its first message; value {caseId, messageId, day}. */
  campaignSend: (waveId: string, loyaltyEnd: string, contractId: string) =>
    ["campaign_sends", waveId, loyaltyEnd, contractId] as const,
  campaignSendsOfWave: (waveId: string) => ["campaign_sends", waveId] as const,
  /** The wave page's last preview (services/campaigns/preview.ts): a cache, one per wave. */
  campaignPreview: (waveId: string) => ["campaign_previews", waveId] as const,
  /** The first time the customer opened their link ({at}): the wave report's "link aberto". */
  linkOpened: (caseId: string) => ["link_opened", caseId] as const,
  /** Set once the default waves (D-60, D-30, D-7) were created. */
  campaignDefaults: () => ["meta", "campaign_defaults"] as const,
  /** Contacts a wave made on one day (Deno.KvU64, `sum` in the same atomic): the daily cap. */
  campaignDayCount: (waveId: string, day: string) => ["campaign_day_counts", waveId, day] as const,

  /** Dashboard counters (services/renewals/counters.ts): KvU64 sums per day ("d") or month
   * ("m") in Brasília time, then the metric path (step, attendant, source, histogram bucket…). */
  counter: (grain: "d" | "m", period: string, metric: readonly string[]) =>
    ["counters", grain, period, ...metric] as const,
  countersOf: (grain: "d" | "m", period: string) => ["counters", grain, period] as const,
  countersAll: () => ["counters"] as const,
  /** Work-queue rules (services/renewals/queues.ts) and the round-robin cursor. */
  queueRules: () => ["settings", "queue_rules"] as const,
  queueCursor: () => ["meta", "queue_rr_cursor"] as const,
  /** Written before and after a backup pass (services/ops/backup.ts); never in a dump. */
  backupMarker: () => ["meta", "backup_marker"] as const,

  /** Access servers (NAS) that take RADIUS CoA (services/network/nas.ts). */
  nas: (id: string) => ["nas", id] as const,
  nasList: () => ["nas"] as const,

  /** ERP bridge (services/erp/): whether and how an ERP is connected (written at start). */
  erpSettings: () => ["settings", "erp"] as const,
  /** Write-back to the ERP, queued in the renewal step's atomic; by id. */
  erpWrite: (id: string) => ["erp_writes", id] as const,
  erpWrites: () => ["erp_writes"] as const,
  /** An ERP write of the case stopped on a conflict (set and cleared with the write's status):
   * the work queues' "conflict" queue. */
  caseErpConflict: (caseId: string, writeId: string) =>
    ["case_erp_conflicts", caseId, writeId] as const,
  caseErpConflicts: () => ["case_erp_conflicts"] as const,
  /** Queued writes by when the pusher should next look at them (due, retry, or lease end). */
  erpWriteDue: (at: string, id: string) => ["erp_writes_by_due", at, id] as const,
  erpWritesDue: () => ["erp_writes_by_due"] as const,
  /** The last write queued for an ERP contract: the next one waits for it (order matters). */
  erpLastWrite: (contractErpId: string) => ["erp_last_write", contractErpId] as const,
  /** The ERP's last-change stamp of one of its records, as Renova last read (or wrote) it. */
  erpStamp: (table: string, erpId: string) => ["erp_stamps", table, erpId] as const,
  /** The customer's access login (IXC radusuarios) by the ERP contract id. */
  erpLogin: (contractErpId: string) => ["erp_logins", contractErpId] as const,
  /** The ERP's sale plans (IXC vd_contratos) as last read, by ERP plan id. */
  erpPlan: (erpPlanId: string) => ["erp_plans", erpPlanId] as const,
  erpPlans: () => ["erp_plans"] as const,
  /** Pull state: the last-change stamp reached per table and the last runs' summaries. */
  erpPullState: () => ["meta", "erp_pull"] as const,
  erpPullRun: (id: string) => ["erp_pull_runs", id] as const,
  erpPullRuns: () => ["erp_pull_runs"] as const,
  /** The invoices the ERP issued for a case (ERP_INVOICES=erp), fetched by the write-back. */
  erpInvoices: (caseId: string) => ["erp_invoices", caseId] as const,
  erpInvoicesAll: () => ["erp_invoices"] as const,

  /** Pix Automático authorization of a case (services/pix_auto/recurrences.ts). */
  pixAutoOfCase: (caseId: string) => ["pix_auto_by_case", caseId] as const,
  /** PSP recurrence id (idRec) → case id, for the PSP's webhooks. */
  pixAutoByIdRec: (idRec: string) => ["pix_auto_by_id_rec", idRec] as const,
  /** The payment method the customer chose in the renewal (services/pix_auto/payment.ts). */
  paymentMethodOfCase: (caseId: string) => ["payment_method_by_case", caseId] as const,
  /** Cases whose Pix Automático is approved: the monthly charge job's list (charges.ts). */
  pixAutoApproved: (caseId: string) => ["pix_auto_approved", caseId] as const,
  pixAutoApprovedAll: () => ["pix_auto_approved"] as const,
  /** A monthly charge's txid (cobr) → its case and installment, for webhookcobr. */
  pixAutoChargeByTxid: (txid: string) => ["pix_auto_charge_by_txid", txid] as const,
  pixAutoAll: () => ["pix_auto_by_case"] as const,
};
