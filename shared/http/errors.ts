// Problem documents (RFC 9457). Domain errors are mapped to HTTP statuses here and nowhere
// else; the few failures that only exist at the HTTP edge (a body too large, a wrong content
// type) are HttpErrors of their own.
import { PROBLEM_CONTENT_TYPE } from '../api/schemas.ts';
import { DomainError, type DomainErrorKind, type FieldProblem } from '../domain/errors.ts';

export { PROBLEM_CONTENT_TYPE };

interface ProblemKind {
  readonly status: number;
  readonly slug: string;
  readonly title: string;
}

const PROBLEM_OF_KIND: Record<DomainErrorKind, ProblemKind> = {
  invalid: { status: 400, slug: 'validation-error', title: 'Invalid request' },
  unauthenticated: { status: 401, slug: 'unauthorized', title: 'Unauthorized' },
  forbidden: { status: 403, slug: 'forbidden', title: 'Forbidden' },
  'not-found': { status: 404, slug: 'not-found', title: 'Not found' },
  conflict: { status: 409, slug: 'conflict', title: 'Conflict' },
  'limit-exceeded': { status: 429, slug: 'limit-exceeded', title: 'Limit exceeded' },
};

/** The HTTP status a domain error answers with. */
export function statusOf(kind: DomainErrorKind): number {
  return PROBLEM_OF_KIND[kind].status;
}

/** A failure of the HTTP exchange itself rather than of the request's meaning. */
export class HttpError extends Error {
  readonly problem: ProblemKind;
  constructor(problem: ProblemKind, detail: string) {
    super(detail);
    this.problem = problem;
  }
}

export class PayloadTooLargeError extends HttpError {
  override name = 'PayloadTooLargeError';
  constructor(detail: string) {
    super({ status: 413, slug: 'payload-too-large', title: 'Payload too large' }, detail);
  }
}

export class UnsupportedMediaTypeError extends HttpError {
  override name = 'UnsupportedMediaTypeError';
  constructor(detail: string) {
    super({ status: 415, slug: 'unsupported-media-type', title: 'Unsupported media type' }, detail);
  }
}

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldProblem[];
}

function document(kind: ProblemKind, detail: string, instance?: string, errors?: readonly FieldProblem[]): ProblemDocument {
  return {
    type: `urn:vigil:problem:${kind.slug}`,
    title: kind.title,
    status: kind.status,
    detail,
    ...(instance === undefined ? {} : { instance }),
    ...(errors === undefined ? {} : { errors: [...errors] }),
  };
}

/** The problem document for an error we expect, or undefined for anything else (a bug: 500). */
export function problemOf(error: unknown, instance?: string): ProblemDocument | undefined {
  if (error instanceof DomainError) return document(PROBLEM_OF_KIND[error.kind], error.message, instance, error.errors);
  if (error instanceof HttpError) return document(error.problem, error.message, instance);
  return undefined;
}

/** What an unexpected failure answers: nothing about its cause, a request id to quote. */
export function internalErrorProblem(requestId: string, instance?: string): ProblemDocument {
  return document(
    { status: 500, slug: 'internal-error', title: 'Internal error' },
    `something went wrong on our side; quote request ${requestId}`,
    instance,
  );
}
