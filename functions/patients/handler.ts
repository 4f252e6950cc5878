import { identityProviderFromEnv } from '../../shared/auth/identity-provider.ts';
import { tableClientFromEnv } from '../../shared/data/table-client.ts';
import { cursorCodecFromEnv } from '../../shared/data/paging-cursor.ts';
import { httpFunction } from '../../shared/http/http-function.ts';
import { signedInRoutes } from '../../shared/services/caller-lookup.ts';
import { getCareTeam, inviteCaregiver, putCareTeamMember, removeCareTeamMember } from '../../shared/services/care-team-service.ts';
import { listPatientsAs } from '../../shared/services/user-service.ts';

const dependencies = () => ({ table: tableClientFromEnv(), identity: identityProviderFromEnv(), cursors: cursorCodecFromEnv() });

export const handler = httpFunction(
  'patients',
  {
    'GET /v1/patients': async ({ caller, query }) => listPatientsAs(dependencies(), caller, query),
    'GET /v1/patients/{patientId}/care-team': async ({ caller, params }) => getCareTeam(dependencies(), caller, params.patientId),
    'PUT /v1/patients/{patientId}/care-team/{userId}': async ({ caller, params, body }) =>
      putCareTeamMember(dependencies(), caller, params.patientId, params.userId, body),
    'DELETE /v1/patients/{patientId}/care-team/{userId}': async ({ caller, params }) =>
      removeCareTeamMember(dependencies(), caller, params.patientId, params.userId),
    'POST /v1/patients/{patientId}/caregivers': async ({ caller, params, body }) =>
      inviteCaregiver(dependencies(), caller, params.patientId, body),
  },
  signedInRoutes,
);
