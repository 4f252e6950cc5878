// Recordings that never complete, on the local twin. Defect: after PUT …/chunks/99999 a
// recording answered /complete with 409 forever. Now the patient can cancel it, and the
// scheduled closer ends recordings that hear nothing for the idle time as incomplete; either
// way the findings of what arrived become final and no more chunks are taken.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regularRhythmEcg } from '../../shared/ecg/synthetic-ecg.ts';
import { type LocalTwin, startLocalTwin } from '../support/local-twin.ts';
import {
  bootstrapOrganisation,
  createAndSignIn,
  eventually,
  problemOf,
  type SignedIn,
  type VigilClient,
  vigil,
} from './support/vigil-api.ts';

const SAMPLE_RATE = 250;
const IDLE_SECONDS = 3;

let twin: LocalTwin;
let patient: SignedIn;
let asPatient: VigilClient;

beforeAll(async () => {
  // Recordings close after 3 s of silence, and the closer runs every second.
  twin = await startLocalTwin({ log: () => undefined, recordingIdleSeconds: IDLE_SECONDS, scheduleIntervalMs: 1_000 });
  const admin = await bootstrapOrganisation(twin);
  const clinician = await createAndSignIn(twin, admin.tokens.accessToken, 'clinician');
  patient = await createAndSignIn(twin, clinician.tokens.accessToken, 'patient');
  asPatient = vigil(twin, patient.tokens.accessToken);
});

afterAll(async () => {
  await twin?.stop();
});

const tenSeconds = Array.from(regularRhythmEcg({ sampleRateHz: SAMPLE_RATE, seconds: 10, heartRateBpm: 70 }).samples);

async function start(): Promise<string> {
  const { data } = await asPatient.POST('/v1/patients/{patientId}/ecg', {
    params: { path: { patientId: patient.user.userId } },
    body: { sampleRateHz: SAMPLE_RATE, lead: 'II' },
  });
  return data!.recordingId;
}

const upload = (recordingId: string, seq: number) =>
  asPatient.PUT('/v1/ecg/{recordingId}/chunks/{seq}', {
    params: { path: { recordingId, seq: String(seq) } },
    body: { samples: tenSeconds },
  });

const finalFindings = (recordingId: string) =>
  eventually(
    async () => {
      const { data } = await asPatient.GET('/v1/ecg/{recordingId}', { params: { path: { recordingId } } });
      return data?.analyzedAt !== undefined ? data : undefined;
    },
    20_000,
    'final findings',
  );

describe('a recording that will never complete', () => {
  it('can be cancelled by the patient: what arrived before the stray chunk is analysed, and nothing more is taken', async () => {
    const recordingId = await start();
    expect((await upload(recordingId, 0)).response.status).toBe(202);
    expect((await upload(recordingId, 99_999)).response.status).toBe(202);
    const locked = await asPatient.POST('/v1/ecg/{recordingId}/complete', { params: { path: { recordingId } } });
    expect(locked.response.status).toBe(409);
    expect(problemOf(locked.error).detail).toContain('cancel the recording');

    const cancelled = await asPatient.POST('/v1/ecg/{recordingId}/cancel', { params: { path: { recordingId } } });
    expect(cancelled.response.status).toBe(200);
    expect(cancelled.data).toMatchObject({ status: 'cancelled', closedAt: expect.any(String) });

    const recording = await finalFindings(recordingId);
    expect(recording).toMatchObject({ status: 'cancelled', chunksAnalyzed: 1, findings: { analyzedSeconds: 10 } });
    expect(recording.findings.beatCount).toBeGreaterThanOrEqual(10);
    const late = await upload(recordingId, 1);
    expect(late.response.status).toBe(409);
    expect(problemOf(late.error).detail).toContain('was cancelled');
  });

  it(`is closed as incomplete after ${IDLE_SECONDS} s without a chunk, with the findings of what arrived`, async () => {
    const recordingId = await start();
    expect((await upload(recordingId, 0)).response.status).toBe(202);
    const recording = await finalFindings(recordingId);
    expect(recording).toMatchObject({ status: 'incomplete', closedAt: expect.any(String), chunksAnalyzed: 1 });
    expect(recording.findings.analyzedSeconds).toBe(10);
    expect((await upload(recordingId, 1)).response.status).toBe(409);
  });

  it('stays open while chunks keep arriving within the idle time', async () => {
    const recordingId = await start();
    for (let seq = 0; seq < 4; seq++) {
      expect((await upload(recordingId, seq)).response.status).toBe(202);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    const { data } = await asPatient.GET('/v1/ecg/{recordingId}', { params: { path: { recordingId } } });
    expect(data?.status).toBe('recording');
  });
});

describe("a patient's recordings", () => {
  it('lists them newest first with status and findings, paged, within a time range', async () => {
    const before = new Date().toISOString();
    const ids: string[] = [];
    for (let index = 0; index < 3; index++) ids.push(await start());
    await upload(ids[0]!, 0);
    await asPatient.POST('/v1/ecg/{recordingId}/complete', { params: { path: { recordingId: ids[0]! } } });
    const analyzed = await finalFindings(ids[0]!);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await asPatient.GET('/v1/patients/{patientId}/ecg', {
        params: { path: { patientId: patient.user.userId }, query: { from: before, limit: '2', ...(cursor ? { cursor } : {}) } },
      });
      expect(page.response.status).toBe(200);
      seen.push(...(page.data?.items.map((recording) => recording.recordingId) ?? []));
      cursor = page.data?.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    const list = await asPatient.GET('/v1/patients/{patientId}/ecg', {
      params: { path: { patientId: patient.user.userId }, query: { from: before } },
    });
    expect(list.data?.items.at(-1)).toMatchObject({ recordingId: ids[0], status: 'analyzed', findings: analyzed.findings });
    const none = await asPatient.GET('/v1/patients/{patientId}/ecg', {
      params: { path: { patientId: patient.user.userId }, query: { to: before } },
    });
    expect(none.data?.items.map((recording) => recording.recordingId)).not.toContain(ids[0]);
  });
});
