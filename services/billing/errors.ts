/**
 * Error type shared by the billing module. `message` is always pt-BR because it may be shown
 * to staff or customers as is; `field` names the offending input so forms can highlight it.
 */
export class BillingError extends Error {
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.name = "BillingError";
    this.field = field;
  }
}
