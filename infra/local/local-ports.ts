// The ports `npm start` listens on, each overridable by its environment variable. Read by the
// start script and by the tools that talk to a running twin, so they agree without setup.
const LOCAL_PORTS = {
  http: { variable: 'VIGIL_HTTP_PORT', fallback: 3000 },
  ws: { variable: 'VIGIL_WS_PORT', fallback: 3001 },
  dynamoDb: { variable: 'VIGIL_DYNAMODB_PORT', fallback: 8000 },
  sqs: { variable: 'VIGIL_SQS_PORT', fallback: 9324 },
  cognito: { variable: 'VIGIL_COGNITO_PORT', fallback: 9229 },
  // Scheduler, SES v2 and SNS; not LocalStack's 4566, which a developer may have running.
  services: { variable: 'VIGIL_SERVICES_PORT', fallback: 9230 },
} as const;

export type LocalPortName = keyof typeof LOCAL_PORTS;

/** The port for `name`: its variable when set, else the default. */
export function localPort(name: LocalPortName, env: NodeJS.ProcessEnv = process.env): number {
  const { variable, fallback } = LOCAL_PORTS[name];
  const raw = env[variable];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port <= 0 || port > 65_535) throw new Error(`${variable}=${raw} is not a port`);
  return port;
}

export function localPorts(env: NodeJS.ProcessEnv = process.env): Record<LocalPortName, number> {
  return {
    http: localPort('http', env),
    ws: localPort('ws', env),
    dynamoDb: localPort('dynamoDb', env),
    sqs: localPort('sqs', env),
    cognito: localPort('cognito', env),
    services: localPort('services', env),
  };
}
