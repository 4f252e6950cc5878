import type { Logger } from '@aws-lambda-powertools/logger';
import { tableClientFromEnv } from '../../shared/data/table-client.ts';
import { httpFunction } from '../../shared/http/http-function.ts';
import { connectionPosterFromEnv, createNotifier } from '../../shared/realtime/connection-notifier.ts';
import { signedInRoutes } from '../../shared/services/caller-lookup.ts';
import { listDevicesAs, pairDeviceAs, unpairDeviceAs, updateDeviceAs } from '../../shared/services/device-service.ts';

const dependencies = ({ logger, requestId }: { logger: Logger; requestId: string }) => ({
  table: tableClientFromEnv(),
  notifier: createNotifier(tableClientFromEnv(), connectionPosterFromEnv(), logger),
  requestId,
});

export const handler = httpFunction(
  'devices',
  {
    'POST /v1/patients/{patientId}/devices': async (request) =>
      pairDeviceAs(dependencies(request), request.caller, request.params.patientId, request.body),
    'GET /v1/patients/{patientId}/devices': async (request) =>
      listDevicesAs(dependencies(request), request.caller, request.params.patientId),
    'PATCH /v1/devices/{deviceId}': async (request) =>
      updateDeviceAs(dependencies(request), request.caller, request.params.deviceId, request.body),
    'DELETE /v1/devices/{deviceId}': async (request) => unpairDeviceAs(dependencies(request), request.caller, request.params.deviceId),
  },
  signedInRoutes,
);
