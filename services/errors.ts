// Domain errors. Services throw these; lib/http_errors.ts maps each to one HTTP answer.
// Messages are pt-BR because they reach people unchanged.

export class AppError extends Error {
  status = 500;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad input: one pt-BR message per field. */
export class ValidationError extends AppError {
  override status = 400;
  constructor(public fields: Record<string, string>, message?: string) {
    // One problem: say it plainly. Several: point at the highlighted fields.
    const list = Object.values(fields);
    super(message ?? (list.length === 1 ? list[0] : "Verifique os campos destacados."));
  }
}

export class NotFoundError extends AppError {
  override status = 404;
  constructor(message = "Não encontrado.") {
    super(message);
  }
}

/** A versionstamp check failed: somebody else changed the record first. */
export class ConflictError extends AppError {
  override status = 409;
  constructor(message = "Este caso foi alterado por outra pessoa; recarregue a página.") {
    super(message);
  }
}

export class ForbiddenError extends AppError {
  override status = 403;
  constructor(message = "Você não tem permissão para isso.") {
    super(message);
  }
}

export class TooLargeError extends AppError {
  override status = 413;
  constructor(message = "O arquivo enviado é grande demais.") {
    super(message);
  }
}

export class RateLimitError extends AppError {
  override status = 429;
  constructor(public retryAfterSeconds: number, message?: string) {
    super(
      message ??
        `Muitas tentativas. Tente novamente em ${Math.ceil(retryAfterSeconds / 60)} minuto(s).`,
    );
  }
}
