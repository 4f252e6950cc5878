// Which browser origins may call the HTTP API, for API Gateway (corsPreflight) and the local
// twin, which answer preflights the same way. Origins come from configuration: the cdk context
// `vigil:corsOrigins` for a deployment (none unless given), VIGIL_CORS_ORIGINS for the twin
// (any http://localhost port unless given).
import type { HttpMethod } from '../shared/api/routes.ts';

export interface CorsPolicy {
  readonly allowOrigins: readonly string[];
  readonly allowMethods: readonly HttpMethod[];
  readonly allowHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly maxAgeSeconds: number;
}

/** What a local web app on any port may use against the twin. API Gateway takes exact origins only. */
export const LOCAL_DEFAULT_CORS_ORIGINS = ['http://localhost:*'] as const;

/** The policy for these origins, or undefined (no CORS: preflights are not answered) when there are none. */
export function corsPolicy(allowOrigins: readonly string[]): CorsPolicy | undefined {
  if (allowOrigins.length === 0) return undefined;
  return {
    allowOrigins,
    allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    // The bearer token and JSON bodies; nothing else is read from a request.
    allowHeaders: ['authorization', 'content-type'],
    exposeHeaders: ['apigw-requestid'],
    maxAgeSeconds: 600,
  };
}

/** Origins from a comma-separated setting; blank entries dropped. */
export function parseCorsOrigins(setting: string): string[] {
  return setting
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin.length > 0);
}

/** Throws for an origin API Gateway would refuse at deploy time: it takes `*` or exact scheme://host[:port]. */
export function assertDeployableOrigins(origins: readonly string[]): void {
  for (const origin of origins) {
    if (origin === '*') continue;
    if (!/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/.test(origin)) {
      throw new Error(`CORS origin ${origin} is not an exact origin (scheme://host[:port]); API Gateway takes no wildcards but *`);
    }
  }
}

/**
 * The Access-Control-Allow-Origin value for a request from `origin`, or undefined when it is
 * not allowed: `*` when any origin is (as API Gateway answers), else the origin itself when it
 * is listed exactly or (locally) matches a `scheme://host:*` port wildcard.
 */
export function allowOriginHeader(policy: CorsPolicy, origin: string): string | undefined {
  if (policy.allowOrigins.includes('*')) return '*';
  return originAllowed(policy, origin) ? origin : undefined;
}

function originAllowed(policy: CorsPolicy, origin: string): boolean {
  return policy.allowOrigins.some((allowed) => {
    if (allowed === origin) return true;
    if (!allowed.endsWith(':*')) return false;
    const base = allowed.slice(0, -2);
    return origin === base || (origin.startsWith(`${base}:`) && /^\d{1,5}$/.test(origin.slice(base.length + 1)));
  });
}
