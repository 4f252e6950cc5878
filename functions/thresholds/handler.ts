import { signedInRoutes } from '../../shared/services/caller-lookup.ts';
import { tableClientFromEnv } from '../../shared/data/table-client.ts';
import { httpFunction } from '../../shared/http/http-function.ts';
import {
  getClinicianThreshold,
  getPatientThreshold,
  removePatientThreshold,
  setClinicianThreshold,
  setPatientThreshold,
} from '../../shared/services/threshold-service.ts';

const dependencies = () => ({ table: tableClientFromEnv() });

export const handler = httpFunction(
  'thresholds',
  {
    'PUT /v1/thresholds/{metric}': async ({ caller, params, body }) => setClinicianThreshold(dependencies(), caller, params.metric, body),
    'GET /v1/thresholds/{metric}': async ({ caller, params }) => getClinicianThreshold(dependencies(), caller, params.metric),
    'PUT /v1/patients/{patientId}/thresholds/{metric}': async ({ caller, params, body }) =>
      setPatientThreshold(dependencies(), caller, params.patientId, params.metric, body),
    'GET /v1/patients/{patientId}/thresholds/{metric}': async ({ caller, params }) =>
      getPatientThreshold(dependencies(), caller, params.patientId, params.metric),
    'DELETE /v1/patients/{patientId}/thresholds/{metric}': async ({ caller, params }) =>
      removePatientThreshold(dependencies(), caller, params.patientId, params.metric),
  },
  signedInRoutes,
);
