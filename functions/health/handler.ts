import packageJson from '../../package.json' with { type: 'json' };
import { buildOpenApiDocument } from '../../shared/api/openapi.ts';
import { noCallers } from '../../shared/auth/caller-lookup.ts';
import { httpFunction } from '../../shared/http/http-function.ts';

const openApiDocument = buildOpenApiDocument(packageJson.version);

export const handler = httpFunction(
  'health',
  {
    'GET /v1/health': async () => ({ status: 'ok', version: packageJson.version }),
    'GET /v1/openapi.json': async () => openApiDocument,
  },
  noCallers,
);
