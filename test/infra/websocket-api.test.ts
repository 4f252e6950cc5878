import { beforeAll, describe, expect, it } from 'vitest';
import { WEBSOCKET_ROUTES } from '../../shared/api/function-catalog.ts';
import { ENV } from '../../shared/config/env.ts';
import { referencedIds, synthesizeVigil, type FunctionName, type SynthesizedVigil } from './synthesized-stack.ts';

let vigil: SynthesizedVigil;
beforeAll(() => {
  vigil = synthesizeVigil();
});

const wsApiId = () => vigil.logicalId(vigil.stack.realtime.api);
const ofType = (type: string) => Object.values(vigil.resources).filter((r) => r.Type === type);
const wsRoutes = () => ofType('AWS::ApiGatewayV2::Route').filter((r) => referencedIds(r.Properties.ApiId).includes(wsApiId()));

function routeFor(key: string) {
  const route = wsRoutes().find((r) => r.Properties.RouteKey === key);
  if (!route) throw new Error(`no WebSocket route ${key}`);
  return route.Properties;
}

describe('WebSocket API', () => {
  it('selects routes by the action field of the message body', () => {
    expect(vigil.resources[wsApiId()]?.Properties).toMatchObject({
      ProtocolType: 'WEBSOCKET',
      RouteSelectionExpression: '$request.body.action',
    });
  });

  it('has exactly the routes WEBSOCKET_ROUTES lists', () => {
    expect(
      wsRoutes()
        .map((r) => r.Properties.RouteKey)
        .sort(),
    ).toEqual(Object.keys(WEBSOCKET_ROUTES).sort());
  });

  it.each(Object.entries(WEBSOCKET_ROUTES))('%s goes to %s', (key, fn) => {
    const [integrationId] = referencedIds(routeFor(key).Target);
    const integration = vigil.resources[integrationId as string];
    expect(referencedIds(integration?.Properties.IntegrationUri)).toContain(vigil.functionLogicalId(fn));
  });

  it('refuses a connection unless the token authorizer, reading ?token=, accepts it', () => {
    const connect = routeFor('$connect');
    expect(connect.AuthorizationType).toBe('CUSTOM');
    const authorizer = vigil.resources[referencedIds(connect.AuthorizerId)[0] as string]?.Properties;
    expect(authorizer).toMatchObject({ AuthorizerType: 'REQUEST', IdentitySource: ['route.request.querystring.token'] });
    expect(referencedIds(authorizer?.AuthorizerUri)).toContain(vigil.functionLogicalId('wsAuthorizer'));
  });

  it('authorizes only at $connect; the other routes ride the authorized connection', () => {
    for (const key of Object.keys(WEBSOCKET_ROUTES).filter((k) => k !== '$connect')) {
      expect(routeFor(key).AuthorizationType).toBe('NONE');
    }
  });

  it('deploys automatically to the v1 stage, with access logs and throttling', () => {
    const stage = ofType('AWS::ApiGatewayV2::Stage').find((s) => referencedIds(s.Properties.ApiId).includes(wsApiId()));
    expect(stage?.Properties).toMatchObject({
      StageName: 'v1',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: expect.anything(), Format: expect.stringContaining('$context.connectionId') },
      DefaultRouteSettings: { ThrottlingRateLimit: expect.any(Number) },
    });
  });

  const pushers: FunctionName[] = ['alerts', 'wsConnections', 'ecgAnalyzer'];
  it.each(pushers)('%s is told the management endpoint of this API and stage', (name) => {
    expect(vigil.environmentOf(name)[ENV.wsManagementEndpoint]).toEqual({
      'Fn::Join': ['', ['https://', { Ref: wsApiId() }, '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/v1']],
    });
  });

  it('publishes the connect URL and management endpoint as outputs', () => {
    const outputs = vigil.template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(JSON.stringify(outputs.WebSocketUrl?.Value)).toContain('wss://');
    expect(outputs.WebSocketManagementEndpoint?.Value).toEqual(vigil.environmentOf('alerts')[ENV.wsManagementEndpoint]);
  });
});
