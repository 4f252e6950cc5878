// Every Lambda function Vigil deploys, with the AWS resources it may touch. The CDK stack
// turns `access` into least-privilege grants, and both the stack and the local twin derive
// each function's environment from it (infra/function-environment.ts), so a function that
// lacks a flag fails locally as it would in AWS.

export type TableAccess = 'none' | 'read' | 'readWrite';

export interface FunctionAccess {
  readonly table: TableAccess;
  readonly sendEcgChunks?: true;
  readonly consumeEcgChunks?: true;
  /** May call PostToConnection / GetConnection / DeleteConnection on the WebSocket API. */
  readonly manageConnections?: true;
  /** May create users and set their groups in the user pool. */
  readonly administerUsers?: true;
  /**
   * Signs users in or verifies their tokens as the app client: needs the user pool and client
   * ids, and no IAM permission (the app client is public, its calls are unauthenticated).
   */
  readonly usesAppClient?: true;
  /** Signs paging cursors, and so holds the cursor secret; nothing else gets it. */
  readonly mintsCursors?: true;
  /** Closes recordings that have heard nothing for the idle time. */
  readonly closesIdleRecordings?: true;
  /** Stores raw ECG samples, which expire after the retention time. */
  readonly storesRawEcg?: true;
  /** Raises alerts, so creates the one-time schedules that escalate high-priority ones. */
  readonly schedulesEscalations?: true;
  /** Tells people about high-priority alerts outside the app: email (SES) and text messages (SNS). */
  readonly sendsOutsideApp?: true;
  /** Registers phones' push tokens as SNS platform endpoints. */
  readonly registersPushDevices?: true;
}

/** What raising alerts takes, besides the table: pushes, escalation schedules, messages outside the app. */
const RAISES_ALERTS = { manageConnections: true, schedulesEscalations: true, sendsOutsideApp: true } as const;

export interface FunctionDefinition {
  readonly entry: string;
  readonly description: string;
  readonly access: FunctionAccess;
  readonly timeoutSeconds?: number;
  readonly memoryMb?: number;
}

/** One function per HTTP resource; the route table names which routes each one serves. */
export const HTTP_FUNCTIONS = {
  health: {
    entry: 'functions/health/handler.ts',
    description: 'Liveness and the API descriptions',
    access: { table: 'none' },
  },
  auth: {
    entry: 'functions/auth/handler.ts',
    description: 'Sign-in, token refresh, sign-out and passwords',
    // read: sign-out and password change are signed-in routes, whose caller is looked up.
    access: { table: 'read', usesAppClient: true },
  },
  users: {
    entry: 'functions/users/handler.ts',
    description: 'Users: create, read, edit, disable, list',
    // manageConnections: a disabled user's open WebSockets are closed.
    access: { table: 'readWrite', administerUsers: true, mintsCursors: true, manageConnections: true, registersPushDevices: true },
  },
  patients: {
    entry: 'functions/patients/handler.ts',
    description: 'Patient lists, care teams and caregiver invitations',
    access: { table: 'readWrite', administerUsers: true, mintsCursors: true },
  },
  vitals: {
    entry: 'functions/vitals/handler.ts',
    description: 'Vital-sign ingest, history, roll-ups, latest values and the FHIR view',
    // A breach raises an alert.
    access: { table: 'readWrite', ...RAISES_ALERTS, mintsCursors: true },
  },
  devices: {
    entry: 'functions/devices/handler.ts',
    description: 'Devices paired to patients',
    // A low battery raises an alert.
    access: { table: 'readWrite', ...RAISES_ALERTS },
  },
  audit: {
    entry: 'functions/audit/handler.ts',
    description: "The audit trail and patients' access logs",
    // readWrite: reading the trail is itself audited.
    access: { table: 'readWrite', mintsCursors: true },
  },
  thresholds: { entry: 'functions/thresholds/handler.ts', description: 'Alert thresholds', access: { table: 'readWrite' } },
  alerts: {
    entry: 'functions/alerts/handler.ts',
    description: 'Alert lists, notes and lifecycle, and SOS calls',
    // An SOS raises an alert.
    access: { table: 'readWrite', ...RAISES_ALERTS, mintsCursors: true },
  },
  notifications: {
    entry: 'functions/notifications/handler.ts',
    description: "A person's stored notifications: list, unread count, mark read",
    access: { table: 'readWrite', mintsCursors: true },
  },
  ecg: {
    entry: 'functions/ecg/handler.ts',
    description: 'ECG recordings: upload, status and the recordings of a patient',
    access: { table: 'readWrite', sendEcgChunks: true, storesRawEcg: true, mintsCursors: true },
  },
} as const satisfies Record<string, FunctionDefinition>;

export type HttpFunctionName = keyof typeof HTTP_FUNCTIONS;

export const WEBSOCKET_FUNCTIONS = {
  wsAuthorizer: {
    entry: 'functions/ws-authorizer/handler.ts',
    description: 'Verifies the token on $connect',
    access: { table: 'read', usesAppClient: true },
  },
  wsConnections: {
    entry: 'functions/ws-connections/handler.ts',
    description: 'WebSocket connect, disconnect, subscribe, resume and ping',
    access: { table: 'readWrite', manageConnections: true },
  },
} as const satisfies Record<string, FunctionDefinition>;

export const WEBSOCKET_ROUTES = {
  $connect: 'wsConnections',
  $disconnect: 'wsConnections',
  $default: 'wsConnections',
  subscribe: 'wsConnections',
  resume: 'wsConnections',
} as const satisfies Record<string, keyof typeof WEBSOCKET_FUNCTIONS>;

/** The body field API Gateway reads to pick a WebSocket route ($request.body.action). */
export const WEBSOCKET_ROUTE_SELECTION_FIELD = 'action';

export const QUEUE_FUNCTIONS = {
  ecgAnalyzer: {
    entry: 'functions/ecg-analyzer/handler.ts',
    description: 'Analyses queued ECG chunks and raises alerts',
    // sendEcgChunks: a backlog longer than one invocation continues through a message of its own.
    access: { table: 'readWrite', consumeEcgChunks: true, sendEcgChunks: true, ...RAISES_ALERTS },
    timeoutSeconds: 60,
    memoryMb: 1024,
  },
} as const satisfies Record<string, FunctionDefinition>;

export interface ScheduledFunctionDefinition extends FunctionDefinition {
  /** How often the schedule runs the function. */
  readonly everyMinutes: number;
}

export const SCHEDULED_FUNCTIONS = {
  ecgRecordingCloser: {
    entry: 'functions/ecg-recording-closer/handler.ts',
    description: 'Closes ECG recordings that received nothing for the idle time as incomplete',
    // sendEcgChunks: each closed recording's analysis is woken to finish what arrived.
    access: { table: 'readWrite', sendEcgChunks: true, closesIdleRecordings: true },
    everyMinutes: 10,
    timeoutSeconds: 120,
  },
} as const satisfies Record<string, ScheduledFunctionDefinition>;

/** Functions invoked by one-time EventBridge Scheduler schedules that other functions create. */
export const SCHEDULE_TARGET_FUNCTIONS = {
  alertEscalator: {
    entry: 'functions/alert-escalator/handler.ts',
    description: 'Escalates a high-priority alert nobody acknowledged in time',
    access: { table: 'readWrite', manageConnections: true, sendsOutsideApp: true },
  },
} as const satisfies Record<string, FunctionDefinition>;

/** The function every escalation schedule invokes. */
export const ESCALATOR_FUNCTION: keyof typeof SCHEDULE_TARGET_FUNCTIONS = 'alertEscalator';

export type FunctionName =
  | HttpFunctionName
  | keyof typeof WEBSOCKET_FUNCTIONS
  | keyof typeof QUEUE_FUNCTIONS
  | keyof typeof SCHEDULED_FUNCTIONS
  | keyof typeof SCHEDULE_TARGET_FUNCTIONS;

/** Every function by name. */
export const ALL_FUNCTIONS: Readonly<Record<FunctionName, FunctionDefinition>> = {
  ...HTTP_FUNCTIONS,
  ...WEBSOCKET_FUNCTIONS,
  ...QUEUE_FUNCTIONS,
  ...SCHEDULED_FUNCTIONS,
  ...SCHEDULE_TARGET_FUNCTIONS,
};

/** API Gateway gives up on an HTTP integration after 30 s; our functions stop before that. */
export const HTTP_FUNCTION_TIMEOUT_SECONDS = 29;

/** The timeout a function runs with: its own, or the HTTP default. */
export function functionTimeoutSeconds(definition: FunctionDefinition): number {
  return definition.timeoutSeconds ?? HTTP_FUNCTION_TIMEOUT_SECONDS;
}
