/** Errors with a stable `code`, so handlers and the CLI can answer with structured, secret-free messages. */
export class GuardrailsError extends Error {
  readonly code: string;
  readonly details?: Record<string, unknown>;
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
  toJSON(): Record<string, unknown> {
    return { error: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) };
  }
}

export class ConfigError extends GuardrailsError {
  constructor(message: string) {
    super('InvalidConfiguration', message);
  }
}

/** The event does not have the shape we need. Not retryable: replaying it cannot help. */
export class InvalidEventError extends GuardrailsError {
  constructor(message: string, issues?: unknown) {
    super('InvalidEvent', message, issues ? { issues } : undefined);
  }
}

/** The resource is not ready yet (cluster CREATING, node group ASG missing): retry later, durably. */
export class NotReadyError extends GuardrailsError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('NotReady', message, details);
  }
}
