// Errors as types: thrown from anywhere, turned into RFC 9457 problem+json by one
// middleware (http-function.ts). Messages are written for the API caller and must never
// carry health data or internals.

export interface FieldProblem {
  /** Where the problem is: "body.samples.3", "params.recordingId", "query.limit". */
  readonly path: string;
  readonly message: string;
}

export class HttpError extends Error {
  readonly status: number;
  readonly slug: string;
  readonly title: string;
  readonly errors: readonly FieldProblem[] | undefined;

  constructor(status: number, slug: string, title: string, detail: string, errors?: readonly FieldProblem[]) {
    super(detail);
    this.status = status;
    this.slug = slug;
    this.title = title;
    this.errors = errors;
  }
}

export class ValidationError extends HttpError {
  override name = 'ValidationError';
  constructor(detail: string, errors?: readonly FieldProblem[]) {
    super(400, 'validation-error', 'Invalid request', detail, errors);
  }
}

export class UnauthorizedError extends HttpError {
  override name = 'UnauthorizedError';
  constructor(detail = 'a valid access token is required') {
    super(401, 'unauthorized', 'Unauthorized', detail);
  }
}

export class ForbiddenError extends HttpError {
  override name = 'ForbiddenError';
  constructor(detail: string) {
    super(403, 'forbidden', 'Forbidden', detail);
  }
}

export class NotFoundError extends HttpError {
  override name = 'NotFoundError';
  constructor(detail: string) {
    super(404, 'not-found', 'Not found', detail);
  }
}

export class ConflictError extends HttpError {
  override name = 'ConflictError';
  constructor(detail: string) {
    super(409, 'conflict', 'Conflict', detail);
  }
}

export class PayloadTooLargeError extends HttpError {
  override name = 'PayloadTooLargeError';
  constructor(detail: string) {
    super(413, 'payload-too-large', 'Payload too large', detail);
  }
}

export class UnsupportedMediaTypeError extends HttpError {
  override name = 'UnsupportedMediaTypeError';
  constructor(detail: string) {
    super(415, 'unsupported-media-type', 'Unsupported media type', detail);
  }
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldProblem[];
}

export function toProblem(error: HttpError, instance?: string): ProblemDocument {
  return {
    type: `urn:vigil:problem:${error.slug}`,
    title: error.title,
    status: error.status,
    detail: error.message,
    ...(instance === undefined ? {} : { instance }),
    ...(error.errors === undefined ? {} : { errors: [...error.errors] }),
  };
}
