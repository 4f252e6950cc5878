// Errors as types. Rules and services throw these from anywhere; the HTTP plumbing turns each
// kind into a status in one place (shared/http/errors.ts). Messages are written for the API
// caller and never carry health data or internals.

export interface FieldProblem {
  /** Where the problem is: "body.samples.3", "params.recordingId", "query.limit". */
  readonly path: string;
  readonly message: string;
}

export type DomainErrorKind = 'invalid' | 'unauthenticated' | 'forbidden' | 'not-found' | 'conflict' | 'limit-exceeded';

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
  readonly errors: readonly FieldProblem[] | undefined;

  constructor(detail: string, errors?: readonly FieldProblem[]) {
    super(detail);
    this.errors = errors;
  }
}

/** The request asks for something malformed or impossible; `errors` names each field. */
export class ValidationError extends DomainError {
  override name = 'ValidationError';
  override readonly kind = 'invalid';
}

/** No valid credentials: a wrong password, an invalid refresh token, a token that is not an access token. */
export class UnauthenticatedError extends DomainError {
  override name = 'UnauthenticatedError';
  override readonly kind = 'unauthenticated';
  constructor(detail = 'a valid access token is required') {
    super(detail);
  }
}

export class ForbiddenError extends DomainError {
  override name = 'ForbiddenError';
  override readonly kind = 'forbidden';
}

/** Missing, or not visible to the caller: the two are told apart for nobody. */
export class NotFoundError extends DomainError {
  override name = 'NotFoundError';
  override readonly kind = 'not-found';
}

/** The request clashes with the current state (a repeated chunk with other samples, a closed recording). */
export class ConflictError extends DomainError {
  override name = 'ConflictError';
  override readonly kind = 'conflict';
}

/** A documented limit (connections per user, requests per second) is reached. */
export class LimitExceededError extends DomainError {
  override name = 'LimitExceededError';
  override readonly kind = 'limit-exceeded';
}
