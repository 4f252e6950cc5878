// The people an authorization test needs, in two organisations: an admin, a clinician and the
// patient in their care, a clinician and a patient of the same organisation who have nothing
// to do with them, and a clinician of another organisation. Plus ways to make fresh objects
// (a recording, an alert) when a request would use one up.
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { openOrRepeatAlert } from '../../../shared/data/alert-store.ts';
import { createTableClient, type TableClient } from '../../../shared/data/table-client.ts';
import { LOCAL_CREDENTIALS } from '../../../infra/local/local-aws.ts';
import type { RunningTwin } from '../../../infra/local/twin.ts';
import { bootstrapOrganisation, createAndSignIn, type SignedIn, STRONG_PASSWORD, signIn, vigil } from './vigil-api.ts';

export const CALLERS = ['anonymous', 'admin', 'clinician', 'otherClinician', 'patient', 'otherPatient', 'outsider'] as const;
export type CallerName = (typeof CALLERS)[number];

export interface World {
  readonly twin: RunningTwin;
  readonly people: Record<Exclude<CallerName, 'anonymous'>, SignedIn>;
  /** The patient in the clinician's care: the subject of the patient routes. */
  readonly patientId: string;
  readonly table: TableClient;
  tokenOf(caller: CallerName): string | undefined;
  /** A fresh sign-in of `caller`, for a request that ends the session. */
  freshTokens(caller: Exclude<CallerName, 'anonymous'>): Promise<SignedIn['tokens']>;
  /** A new recording of the patient, with chunk 0 uploaded when `withChunk`. */
  newRecording(withChunk?: boolean): Promise<string>;
  /** A new open alert on the patient. */
  newAlert(): Promise<string>;
}

export async function buildWorld(twin: RunningTwin): Promise<World> {
  const admin = await bootstrapOrganisation(twin);
  const clinician = await createAndSignIn(twin, admin.tokens.accessToken, 'clinician', 'Dr Ada');
  const otherClinician = await createAndSignIn(twin, admin.tokens.accessToken, 'clinician', 'Dr Bea');
  const patient = await createAndSignIn(twin, clinician.tokens.accessToken, 'patient', 'Pat');
  const otherPatient = await createAndSignIn(twin, otherClinician.tokens.accessToken, 'patient', 'Pia');
  const outsiderAdmin = await bootstrapOrganisation(twin);
  const outsider = await createAndSignIn(twin, outsiderAdmin.tokens.accessToken, 'clinician', 'Dr Out');
  const people = { admin, clinician, otherClinician, patient, otherPatient, outsider };
  const table = createTableClient(
    twin.state.tableName,
    new DynamoDBClient({ region: twin.state.region, credentials: LOCAL_CREDENTIALS, endpoint: twin.state.dynamoDbEndpoint }),
  );
  const patientId = patient.user.userId;
  return {
    twin,
    people,
    patientId,
    table,
    tokenOf: (caller) => (caller === 'anonymous' ? undefined : people[caller].tokens.accessToken),
    freshTokens: async (caller) => (await signIn(twin, people[caller].email, STRONG_PASSWORD)).tokens,
    async newRecording(withChunk = false) {
      const asPatient = vigil(twin, patient.tokens.accessToken);
      const { data } = await asPatient.POST('/v1/patients/{patientId}/ecg', {
        params: { path: { patientId } },
        body: { sampleRateHz: 250, lead: 'II' },
      });
      if (data === undefined) throw new Error('could not start a recording');
      if (withChunk) {
        await asPatient.PUT('/v1/ecg/{recordingId}/chunks/{seq}', {
          params: { path: { recordingId: data.recordingId, seq: '0' } },
          body: { samples: [1, 2, 3] },
        });
      }
      return data.recordingId;
    },
    async newAlert() {
      const now = new Date().toISOString();
      const { alert } = await openOrRepeatAlert(table, {
        alertId: randomUUID(),
        patientId,
        orgId: patient.user.orgId,
        cause: `test.${randomUUID()}`,
        priority: 'low',
        message: 'A test alert',
        firstSeenAt: now,
        createdAt: now,
      });
      return alert.alertId;
    },
  };
}
