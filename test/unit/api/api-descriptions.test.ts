// The published API descriptions are valid documents by the maintained validators of their
// formats, so clients can be generated from them.
import { Parser } from '@asyncapi/parser';
import { compileErrors, validate } from '@readme/openapi-parser';
import { describe, expect, it } from 'vitest';
import { buildAsyncApiDocument } from '../../../shared/api/asyncapi.ts';
import { buildOpenApiDocument } from '../../../shared/api/openapi.ts';

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    // The validator dereferences in place; it gets a copy.
    const result = await validate(structuredClone(buildOpenApiDocument('test')) as never);
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
  });

  it('names its component schemas and the roles that may call each operation', () => {
    const document = buildOpenApiDocument('test') as unknown as {
      components: { schemas: Record<string, unknown> };
      paths: Record<string, Record<string, { 'x-vigil-roles': string[]; description: string }>>;
    };
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining(['Problem', 'GatewayError', 'Alert', 'Recording', 'User', 'Tokens']),
    );
    const alerts = document.paths['/v1/alerts']?.['get'];
    expect(alerts?.['x-vigil-roles']).toEqual(['clinician', 'caregiver', 'patient']);
    expect(alerts?.description).toContain('clinician');
  });
});

describe('the AsyncAPI document', () => {
  it('is a valid AsyncAPI 3.0 document', async () => {
    const diagnostics = await new Parser().validate(JSON.stringify(buildAsyncApiDocument('test')));
    // Severity 0 is an error; below that are warnings and hints (such as a newer AsyncAPI version existing).
    const errors = diagnostics
      .filter((diagnostic) => diagnostic.severity === 0)
      .map((diagnostic) => `${diagnostic.path.join('.')}: ${diagnostic.message}`);
    expect(errors).toEqual([]);
  });
});
