// What an emulated AWS operation receives and answers, in the shapes the SDK's protocols expect.
// The local services server (local-services-server.ts) reads requests into these; each
// emulator module answers them without touching node:http.

export interface EmulatedRequest {
  readonly method: string;
  /** The path as sent, still percent-encoded, e.g. "/schedules/escalate-1". */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly contentType: string;
  readonly body: string;
}

export interface EmulatedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** A refusal in AWS terms: the exception's name as the SDK knows it, and its HTTP status. */
export class AwsServiceError extends Error {
  readonly type: string;
  readonly status: number;

  constructor(type: string, status: number, message: string) {
    super(message);
    this.name = type;
    this.type = type;
    this.status = status;
  }
}

export function jsonResponse(status: number, value: unknown): EmulatedResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}

/**
 * A REST-JSON error. The SDK picks the exception class from `x-amzn-errortype` (falling back
 * to `__type` in the body); services differ in whether the text is `Message` or `message`,
 * so both are sent.
 */
export function restJsonErrorResponse(error: AwsServiceError): EmulatedResponse {
  return {
    status: error.status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': error.type },
    body: JSON.stringify({ __type: error.type, Message: error.message, message: error.message }),
  };
}
