import { beforeAll, describe, expect, it } from 'vitest';
import { HTTP_FUNCTIONS } from '../../shared/api/function-catalog.ts';
import { AUTH_THROTTLE, DEFAULT_ROUTE_THROTTLE, ROUTES, routeKey } from '../../shared/api/routes.ts';
import { CORS_ORIGINS, referencedIds, type SynthesizedVigil, synthesizeVigil } from './synthesized-stack.ts';

let vigil: SynthesizedVigil;
beforeAll(() => {
  vigil = synthesizeVigil();
});

const ofType = (type: string) => Object.entries(vigil.resources).filter(([, r]) => r.Type === type);
const httpApiId = () => vigil.logicalId(vigil.stack.http.api);
const httpRoutes = () => ofType('AWS::ApiGatewayV2::Route').filter(([, r]) => referencedIds(r.Properties.ApiId).includes(httpApiId()));

function routeFor(key: string) {
  const found = httpRoutes().find(([, r]) => r.Properties.RouteKey === key);
  if (!found) throw new Error(`no API Gateway route ${key}`);
  return found[1].Properties;
}

/** The logical id of the function behind a route: route → integration → Lambda ARN. */
function functionBehind(route: Record<string, unknown>): string | undefined {
  const [integrationId] = referencedIds(route.Target);
  const integration = integrationId ? vigil.resources[integrationId] : undefined;
  return integration ? referencedIds(integration.Properties.IntegrationUri)[0] : undefined;
}

describe('HTTP API', () => {
  it('has exactly the routes of the route table, no more', () => {
    const deployed = httpRoutes()
      .map(([, r]) => r.Properties.RouteKey)
      .sort();
    expect(deployed).toEqual(ROUTES.map(routeKey).sort());
  });

  it.each(ROUTES.map((r) => [routeKey(r), r] as const))('%s is served by the function the route table names', (_key, route) => {
    expect(functionBehind(routeFor(routeKey(route)))).toBe(vigil.functionLogicalId(route.function));
  });

  it.each(ROUTES.filter((r) => r.auth === 'jwt').map((r) => [routeKey(r)]))('%s requires a Cognito JWT', (key) => {
    const [authorizerId] = ofType('AWS::ApiGatewayV2::Authorizer').find(([, a]) => a.Properties.AuthorizerType === 'JWT') ?? [];
    const route = routeFor(key);
    expect(route.AuthorizationType).toBe('JWT');
    expect(referencedIds(route.AuthorizerId)).toEqual([authorizerId]);
  });

  it.each(ROUTES.filter((r) => r.auth === 'public').map((r) => [routeKey(r)]))('%s is public', (key) => {
    const route = routeFor(key);
    expect(route.AuthorizationType).toBe('NONE');
    expect(route.AuthorizerId).toBeUndefined();
  });

  it('trusts tokens only from this user pool, issued to this app client', () => {
    vigil.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Issuer: {
          'Fn::Join': [
            '',
            [
              'https://cognito-idp.',
              { Ref: 'AWS::Region' },
              '.',
              { Ref: 'AWS::URLSuffix' },
              '/',
              { Ref: vigil.logicalId(vigil.stack.auth.userPool) },
            ],
          ],
        },
        Audience: [{ Ref: vigil.logicalId(vigil.stack.auth.client) }],
      },
    });
  });

  it('creates one Lambda per HTTP function in the catalog', () => {
    for (const name of Object.keys(HTTP_FUNCTIONS) as (keyof typeof HTTP_FUNCTIONS)[]) {
      expect(vigil.functionProperties(name).Description).toBe(HTTP_FUNCTIONS[name].description);
    }
  });

  it('logs every request to an encrypted log group, by route key so no patient id from a path is logged', () => {
    const [, stage] = ofType('AWS::ApiGatewayV2::Stage').find(([, s]) => referencedIds(s.Properties.ApiId).includes(httpApiId())) ?? [];
    const settings = stage?.Properties.AccessLogSettings as { DestinationArn: unknown; Format: string };
    const format = JSON.parse(settings.Format) as Record<string, string>;
    expect(format).toMatchObject({ requestId: '$context.requestId', routeKey: '$context.routeKey', status: '$context.status' });
    expect(settings.Format).not.toMatch(/\$context\.path|requestOverride|\$input/);
    const [logGroupId] = referencedIds(settings.DestinationArn);
    expect(vigil.resources[logGroupId as string]?.Properties.KmsKeyId).toBeDefined();
  });

  const stage = () =>
    (ofType('AWS::ApiGatewayV2::Stage').find(([, s]) => referencedIds(s.Properties.ApiId).includes(httpApiId())) ?? [])[1]?.Properties;

  it('throttles every route at the default limit unless it has its own', () => {
    expect(stage()?.DefaultRouteSettings).toEqual({
      ThrottlingRateLimit: DEFAULT_ROUTE_THROTTLE.rateLimit,
      ThrottlingBurstLimit: DEFAULT_ROUTE_THROTTLE.burstLimit,
    });
  });

  it.each(ROUTES.filter((r) => r.path.startsWith('/v1/auth/')).map((r) => [routeKey(r)]))('%s has its own, lower limit', (key) => {
    expect(AUTH_THROTTLE.rateLimit).toBeLessThan(DEFAULT_ROUTE_THROTTLE.rateLimit);
    expect((stage()!.RouteSettings as Record<string, unknown>)[key]).toEqual({
      ThrottlingRateLimit: AUTH_THROTTLE.rateLimit,
      ThrottlingBurstLimit: AUTH_THROTTLE.burstLimit,
    });
  });

  it('answers CORS preflights for the configured origins only, with the headers the API reads', () => {
    const api = vigil.resources[httpApiId()]?.Properties;
    expect(api?.CorsConfiguration).toMatchObject({
      AllowOrigins: CORS_ORIGINS,
      AllowHeaders: ['authorization', 'content-type'],
      AllowMethods: expect.arrayContaining(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
    });
  });

  it('configures no CORS when no origin is given', () => {
    const withoutOrigins = synthesizeVigil({ corsOrigins: [] });
    expect(withoutOrigins.resources[withoutOrigins.logicalId(withoutOrigins.stack.http.api)]?.Properties.CorsConfiguration).toBeUndefined();
  });

  it('refuses an origin with a wildcard port, which API Gateway would refuse at deploy time', () => {
    expect(() => synthesizeVigil({ corsOrigins: ['http://localhost:*'] })).toThrow(/not an exact origin/);
  });
});
