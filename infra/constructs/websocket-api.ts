import { type CfnElement, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { WEBSOCKET_FUNCTIONS, WEBSOCKET_ROUTE_SELECTION_FIELD, WEBSOCKET_ROUTES } from '../../shared/api/function-catalog.ts';
import { accessLogSettings } from './access-log-group.ts';
import { createFunctions, type ConnectionsEndpoint, type FunctionResources, type VigilFunction } from './vigil-function.ts';

/** The stage is the protocol version, as /v1 is for the HTTP API: wss://…/v1?token=… */
export const WEBSOCKET_STAGE_NAME = 'v1';

/** Browsers and mobile WebSocket clients cannot set headers, so the token rides in the query. */
export const WEBSOCKET_TOKEN_SOURCE = 'route.request.querystring.token';

export interface WebSocketApiProps {
  /** Everything but `connections`, which this API provides. */
  readonly resources: Omit<FunctionResources, 'connections'>;
}

/**
 * The WebSocket API clinicians' screens hold open: $connect checks the token with a Lambda
 * REQUEST authorizer, routes go to the functions WEBSOCKET_ROUTES names, and its management
 * endpoint is what functions with `manageConnections` push alerts to.
 */
export class WebSocketApi extends Construct implements ConnectionsEndpoint {
  readonly api: apigwv2.WebSocketApi;
  readonly stage: apigwv2.WebSocketStage;
  readonly functions: Record<keyof typeof WEBSOCKET_FUNCTIONS, VigilFunction>;

  constructor(scope: Construct, id: string, props: WebSocketApiProps) {
    super(scope, id);
    const { resources } = props;

    this.api = new apigwv2.WebSocketApi(this, 'Api', {
      apiName: 'vigil-ws',
      description: 'Vigil real-time alerts',
      routeSelectionExpression: `$request.body.${WEBSOCKET_ROUTE_SELECTION_FIELD}`,
    });
    this.stage = new apigwv2.WebSocketStage(this, 'Stage', {
      webSocketApi: this.api,
      stageName: WEBSOCKET_STAGE_NAME,
      autoDeploy: true,
      throttle: { rateLimit: 500, burstLimit: 1000 },
      accessLogSettings: accessLogSettings(this, 'AccessLogs', resources.encryptionKey, {
        requestId: '$context.requestId',
        requestTime: '$context.requestTime',
        ip: '$context.identity.sourceIp',
        eventType: '$context.eventType',
        routeKey: '$context.routeKey',
        connectionId: '$context.connectionId',
        status: '$context.status',
        authorizerError: '$context.authorizer.error',
        integrationError: '$context.integrationErrorMessage',
      }),
    });
    this.enableApiGatewayLogging();

    // Created after the stage so the functions that push can be handed its endpoint.
    this.functions = createFunctions(this, WEBSOCKET_FUNCTIONS, { ...resources, connections: this });

    const authorizer = new WebSocketLambdaAuthorizer('TokenAuthorizer', this.functions.wsAuthorizer.function, {
      authorizerName: 'token',
      identitySource: [WEBSOCKET_TOKEN_SOURCE],
    });
    const integrations = new Map<string, WebSocketLambdaIntegration>();
    for (const [key, name] of Object.entries(WEBSOCKET_ROUTES)) {
      const integration = integrations.get(name) ?? new WebSocketLambdaIntegration(`${name}Integration`, this.functions[name].function);
      integrations.set(name, integration);
      const route = this.api.addRoute(key, {
        integration,
        // API Gateway authorizes a WebSocket once, at $connect; later messages ride that connection.
        ...(key === '$connect' ? { authorizer } : {}),
      });
      if (key !== '$connect') {
        Validations.of(route).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `WebSocket APIs authorize only $connect (here with the token authorizer); ${key} runs on an already authorized connection.`,
        });
      }
    }
  }

  /** https://{apiId}.execute-api.{region}.amazonaws.com/{stage}: where PostToConnection goes. */
  get managementEndpoint(): string {
    return this.stage.callbackUrl;
  }

  get url(): string {
    return this.stage.url;
  }

  /** execute-api:ManageConnections on this API and stage's @connections/* only. */
  grantManageConnections(grantee: iam.IGrantable): void {
    this.stage.grantManagementApiAccess(grantee);
    if (Construct.isConstruct(grantee)) {
      const apiLogicalId = Stack.of(this).getLogicalId(this.api.node.defaultChild as CfnElement);
      const connectionsArn = `arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<${apiLogicalId}>/${this.stage.stageName}/*/@connections/*`;
      Validations.of(grantee).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${connectionsArn}]`,
        reason:
          'Connection ids are minted per client at $connect, so they cannot be listed; the grant is already limited to this API and stage, any method (post, get, delete).',
      });
    }
  }

  /**
   * WebSocket stages (unlike HTTP API stages) log through the account's API Gateway
   * CloudWatch role; a fresh account has none and the stage would fail to deploy. The setting
   * is account-wide, so it is retained: removing this stack must not break other APIs' logs.
   */
  private enableApiGatewayLogging(): void {
    const role = new iam.Role(this, 'ApiGatewayLogsRole', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonAPIGatewayPushToCloudWatchLogs')],
    });
    role.applyRemovalPolicy(RemovalPolicy.RETAIN);
    const account = new apigateway.CfnAccount(this, 'ApiGatewayAccount', { cloudWatchRoleArn: role.roleArn });
    account.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.stage.node.addDependency(account);
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        'AmazonAPIGatewayPushToCloudWatchLogs is the documented policy for the account-level API Gateway logging role; it is assumable only by apigateway.amazonaws.com.',
    });
  }
}
