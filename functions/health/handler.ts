import packageJson from '../../package.json' with { type: 'json' };
import { buildAsyncApiDocument } from '../../shared/api/asyncapi.ts';
import { buildOpenApiDocument } from '../../shared/api/openapi.ts';
import { httpFunction, PUBLIC_ROUTES_ONLY } from '../../shared/http/http-function.ts';

const openApiDocument = buildOpenApiDocument(packageJson.version);
const asyncApiDocument = buildAsyncApiDocument(packageJson.version);

export const handler = httpFunction(
  'health',
  {
    'GET /v1/health': async () => ({ status: 'ok', version: packageJson.version }),
    'GET /v1/openapi.json': async () => openApiDocument,
    'GET /v1/asyncapi.json': async () => asyncApiDocument,
  },
  PUBLIC_ROUTES_ONLY,
);
