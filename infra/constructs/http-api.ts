import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Construct } from 'constructs';
import { HTTP_FUNCTIONS, type HttpFunctionName } from '../../shared/api/function-catalog.ts';
import { DEFAULT_ROUTE_THROTTLE, ROUTES, routeKey } from '../../shared/api/routes.ts';
import { userPoolIssuer } from '../../shared/auth/user-pool-definition.ts';
import { assertDeployableOrigins, corsPolicy } from '../cors-policy.ts';
import { accessLogSettings } from './access-log-group.ts';
import { createFunctions, type FunctionResources, type VigilFunction } from './vigil-function.ts';

export interface HttpApiProps {
  readonly resources: FunctionResources;
  /** Browser origins allowed to call the API (exact origins); none: no CORS. */
  readonly corsOrigins: readonly string[];
}

/**
 * The HTTP API: one Lambda per HTTP_FUNCTIONS entry and one route per ROUTES entry, with the
 * Cognito JWT authorizer on every 'jwt' route and none on 'public' ones, each route throttled
 * at its own limit.
 */
export class HttpApi extends Construct {
  readonly api: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly functions: Record<HttpFunctionName, VigilFunction>;

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);
    const { resources } = props;
    this.functions = createFunctions(this, HTTP_FUNCTIONS, resources);

    assertDeployableOrigins(props.corsOrigins);
    const cors = corsPolicy(props.corsOrigins);
    this.api = new apigwv2.HttpApi(this, 'Api', {
      apiName: 'vigil-http',
      description: 'Vigil HTTP API v1',
      createDefaultStage: false,
      ...(cors === undefined
        ? {}
        : {
            corsPreflight: {
              allowOrigins: [...cors.allowOrigins],
              allowMethods: cors.allowMethods.map((method) => apigwv2.CorsHttpMethod[method]),
              allowHeaders: [...cors.allowHeaders],
              exposeHeaders: [...cors.exposeHeaders],
              maxAge: Duration.seconds(cors.maxAgeSeconds),
            },
          }),
    });
    this.stage = new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      autoDeploy: true,
      throttle: DEFAULT_ROUTE_THROTTLE,
      accessLogSettings: accessLogSettings(this, 'AccessLogs', resources.encryptionKey, {
        requestId: '$context.requestId',
        requestTime: '$context.requestTime',
        ip: '$context.identity.sourceIp',
        userAgent: '$context.identity.userAgent',
        routeKey: '$context.routeKey',
        status: '$context.status',
        protocol: '$context.protocol',
        responseLength: '$context.responseLength',
        latencyMs: '$context.responseLatency',
        integrationLatencyMs: '$context.integrationLatency',
        caller: '$context.authorizer.claims.sub',
        authorizerError: '$context.authorizer.error',
        integrationError: '$context.integrationErrorMessage',
      }),
    });

    const { userPool, client } = resources.auth;
    const stack = Stack.of(this);
    const jwt = new HttpJwtAuthorizer('CognitoJwt', userPoolIssuer(stack.region, userPool.userPoolId, stack.urlSuffix), {
      authorizerName: 'cognito-jwt',
      // Cognito access tokens carry the app client in client_id, which API Gateway checks
      // against the audience when there is no aud claim.
      jwtAudience: [client.userPoolClientId],
    });
    // One integration per function, shared by all of its routes.
    const integrations = new Map<HttpFunctionName, HttpLambdaIntegration>();
    const integrationOf = (name: HttpFunctionName) => {
      const integration = integrations.get(name) ?? new HttpLambdaIntegration(`${name}Integration`, this.functions[name].function);
      integrations.set(name, integration);
      return integration;
    };

    const routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    const throttledRoutes: apigwv2.HttpRoute[] = [];
    for (const route of ROUTES) {
      const httpRoute = new apigwv2.HttpRoute(this, routeKey(route).replaceAll('/', ' '), {
        httpApi: this.api,
        routeKey: apigwv2.HttpRouteKey.with(route.path, apigwv2.HttpMethod[route.method]),
        integration: integrationOf(route.function),
        authorizer: route.auth === 'jwt' ? jwt : new apigwv2.HttpNoneAuthorizer(),
      });
      if ('throttle' in route) {
        routeSettings[routeKey(route)] = {
          ThrottlingRateLimit: route.throttle.rateLimit,
          ThrottlingBurstLimit: route.throttle.burstLimit,
        };
        throttledRoutes.push(httpRoute);
      }
      if (route.auth === 'public') {
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${routeKey(route)} is public by the route table: it is how a caller gets a token (sign-in, refresh, password reset) or learns the API exists (health, API descriptions).`,
        });
      }
    }
    // The L2 stage sets only the default route settings; per-route limits go on the resource,
    // keyed by route key, once the routes exist.
    const cfnStage = this.stage.node.defaultChild as apigwv2.CfnStage;
    cfnStage.routeSettings = routeSettings;
    for (const route of throttledRoutes) cfnStage.node.addDependency(route);
  }

  get url(): string {
    return this.stage.url;
  }
}
