import type { Logger } from '@aws-lambda-powertools/logger';
import { httpFunction } from '../../shared/http/http-function.ts';
import { alertRaisingFromEnv } from '../../shared/services/alert-raising-from-env.ts';
import { signedInRoutes } from '../../shared/services/caller-lookup.ts';
import { listDevicesAs, pairDeviceAs, unpairDeviceAs, updateDeviceAs } from '../../shared/services/device-service.ts';

const dependencies = (request: { logger: Logger; requestId: string }) => alertRaisingFromEnv(request);

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
