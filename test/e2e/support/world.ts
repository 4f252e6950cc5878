// The people an authorization test needs, in two organisations: an admin, a clinician and the
// patient in their care, a clinician and a patient of the same organisation who have nothing
// to do with them, two family caregivers of the patient (one who may see everything, one the
// patient shared nothing with), the admin and a clinician of another organisation, and a
// former clinician of the patient whose account was disabled while their token was still
// valid. Plus ways to make fresh objects (a recording, an alert, a patient, a clinician on the
// care team) when a request would use one up.
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { openOrRepeatAlert } from '../../../shared/data/alert-store.ts';
import { createTableClient, type TableClient } from '../../../shared/data/table-client.ts';
import { LOCAL_CREDENTIALS } from '../../../infra/local/local-aws.ts';
import type { LocalTwin } from '../../support/local-twin.ts';
import {
  bootstrapOrganisation,
  createAndSignIn,
  inviteCaregiverAndSignIn,
  type SignedIn,
  STRONG_PASSWORD,
  signIn,
  TEMPORARY_PASSWORD,
  vigil,
} from './vigil-api.ts';

export const CALLERS = [
  'anonymous',
  'admin',
  'clinician',
  'otherClinician',
  'patient',
  'otherPatient',
  'caregiver',
  'unsharedCaregiver',
  'outsiderAdmin',
  'outsider',
  'disabled',
] as const;
export type CallerName = (typeof CALLERS)[number];
export type Person = Exclude<CallerName, 'anonymous'>;

export interface World {
  readonly twin: LocalTwin;
  readonly people: Record<Person, SignedIn>;
  /** The patient in the clinician's care: the subject of the patient routes. */
  readonly patientId: string;
  /** A clinician of the organisation who is no caller, for requests that put one on the care team. */
  readonly coverClinicianId: string;
  readonly table: TableClient;
  tokenOf(caller: CallerName): string | undefined;
  /** A fresh sign-in of `caller`, for a request that ends the session (the disabled user cannot sign in: their old tokens). */
  freshTokens(caller: Person): Promise<SignedIn['tokens']>;
  /** A new recording of the patient, with chunk 0 uploaded when `withChunk`. */
  newRecording(withChunk?: boolean): Promise<string>;
  /** A new open alert on the patient. */
  newAlert(): Promise<string>;
  /** A new patient in the clinician's care, for a request that disables one. */
  newPatient(): Promise<string>;
  /** A new clinician put on the patient's care team, for a request that takes one off. */
  newCoverClinician(): Promise<string>;
  /** A new device paired to the patient, for a request that changes or unpairs one. */
  newDevice(): Promise<string>;
  /** An SOS open on the patient (the one open already, counted once more), for a request that cancels it. */
  newSos(): Promise<string>;
}

export async function buildWorld(twin: LocalTwin): Promise<World> {
  const admin = await bootstrapOrganisation(twin);
  const adminToken = admin.tokens.accessToken;
  const clinician = await createAndSignIn(twin, adminToken, 'clinician', 'Dr Ada');
  const otherClinician = await createAndSignIn(twin, adminToken, 'clinician', 'Dr Bea');
  const patient = await createAndSignIn(twin, clinician.tokens.accessToken, 'patient', 'Pat');
  const otherPatient = await createAndSignIn(twin, otherClinician.tokens.accessToken, 'patient', 'Pia');
  const patientId = patient.user.userId;
  const caregiver = await inviteCaregiverAndSignIn(
    twin,
    patient.tokens.accessToken,
    patientId,
    ['vitals:*', 'ecg', 'alerts', 'sos'],
    'Cara',
  );
  const unsharedCaregiver = await inviteCaregiverAndSignIn(twin, patient.tokens.accessToken, patientId, [], 'Una');
  const outsiderAdmin = await bootstrapOrganisation(twin);
  const outsider = await createAndSignIn(twin, outsiderAdmin.tokens.accessToken, 'clinician', 'Dr Out');
  const asAdmin = vigil(twin, adminToken);
  const addToCareTeam = async (userId: string) => {
    const { response } = await asAdmin.PUT('/v1/patients/{patientId}/care-team/{userId}', { params: { path: { patientId, userId } } });
    if (response.status !== 200) throw new Error(`adding ${userId} to the care team failed: ${response.status}`);
  };
  const newClinicianId = async () => {
    const email = `cover-${randomUUID()}@example.org`;
    const { data } = await asAdmin.POST('/v1/users', {
      body: { email, name: 'Dr Cover', role: 'clinician', password: TEMPORARY_PASSWORD },
    });
    if (data === undefined) throw new Error('could not create a clinician');
    return data.userId;
  };
  // A clinician of the patient who left: signed in, then disabled while the token still runs.
  const disabled = await createAndSignIn(twin, adminToken, 'clinician', 'Dr Gone');
  await addToCareTeam(disabled.user.userId);
  const disabling = await asAdmin.DELETE('/v1/users/{userId}', { params: { path: { userId: disabled.user.userId } } });
  if (disabling.response.status !== 204) throw new Error(`disabling a clinician failed: ${disabling.response.status}`);
  const coverClinicianId = await newClinicianId();
  const people = {
    admin,
    clinician,
    otherClinician,
    patient,
    otherPatient,
    caregiver,
    unsharedCaregiver,
    outsiderAdmin,
    outsider,
    disabled,
  };
  const table = createTableClient(
    twin.state.tableName,
    new DynamoDBClient({ region: twin.state.region, credentials: LOCAL_CREDENTIALS, endpoint: twin.state.dynamoDbEndpoint }),
  );
  return {
    twin,
    people,
    patientId,
    coverClinicianId,
    table,
    tokenOf: (caller) => (caller === 'anonymous' ? undefined : people[caller].tokens.accessToken),
    freshTokens: async (caller) =>
      caller === 'disabled' ? people.disabled.tokens : (await signIn(twin, people[caller].email, STRONG_PASSWORD)).tokens,
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
    async newPatient() {
      const { data } = await vigil(twin, clinician.tokens.accessToken).POST('/v1/users', {
        body: { email: `patient-${randomUUID()}@example.org`, name: 'Pam', role: 'patient', password: TEMPORARY_PASSWORD },
      });
      if (data === undefined) throw new Error('could not create a patient');
      return data.userId;
    },
    async newCoverClinician() {
      const userId = await newClinicianId();
      await addToCareTeam(userId);
      return userId;
    },
    async newDevice() {
      const { data } = await vigil(twin, patient.tokens.accessToken).POST('/v1/patients/{patientId}/devices', {
        params: { path: { patientId } },
        body: { serial: `SN-${randomUUID()}`, kind: 'watch' },
      });
      if (data === undefined) throw new Error('could not pair a device');
      return data.deviceId;
    },
    async newSos() {
      const { data } = await vigil(twin, patient.tokens.accessToken).POST('/v1/patients/{patientId}/sos', {
        params: { path: { patientId } },
      });
      if (data === undefined) throw new Error('could not call SOS');
      return data.alertId;
    },
  };
}

/** The smallest organisation a behaviour test needs: its admin, a clinician, and a patient in their care. */
export interface Clinic {
  admin: SignedIn;
  clinician: SignedIn;
  patient: SignedIn;
}

export async function buildClinic(twin: LocalTwin): Promise<Clinic> {
  const admin = await bootstrapOrganisation(twin);
  const clinician = await createAndSignIn(twin, admin.tokens.accessToken, 'clinician', 'Dr Ada');
  const patient = await createAndSignIn(twin, clinician.tokens.accessToken, 'patient', 'Pat');
  return { admin, clinician, patient };
}
