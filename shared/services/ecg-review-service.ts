// The review side of ECG: what a clinician (or the patient, or a caregiver allowed ECG) reads
// back of a patient's recordings.
import type { Caller } from '../domain/caller.ts';
import { ECG_NEED } from '../domain/consent.ts';
import { PAGE_LIMITS } from '../domain/paging.ts';
import { utcIso } from '../domain/time.ts';
import { readingOf } from '../domain/patient-access.ts';
import { queryPatientRecordings } from '../data/ecg-store.ts';
import type { CursorCodec } from '../data/paging-cursor.ts';
import type { TableClient } from '../data/table-client.ts';
import { publicRecording } from './ecg-ingest-service.ts';
import { requirePatientAccess } from './patient-access-check.ts';

export interface EcgReviewDependencies {
  table: TableClient;
  cursors: CursorCodec;
}

export interface RecordingListRequest {
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

/** A patient's recordings, newest first (by when they began to arrive), with status and findings. */
export async function listRecordingsOf(deps: EcgReviewDependencies, caller: Caller, patientId: string, request: RecordingListRequest) {
  await requirePatientAccess(deps.table, caller, patientId, readingOf(ECG_NEED));
  const from = utcIso(request.from);
  const to = utcIso(request.to);
  const scope = ['recordings', caller.userId, patientId, from, to].join('|');
  const before = request.cursor === undefined ? undefined : deps.cursors.decode(request.cursor, scope);
  const page = await queryPatientRecordings(deps.table, patientId, { from, to, before, limit: request.limit ?? PAGE_LIMITS.default });
  return {
    items: page.recordings.map(publicRecording),
    ...(page.lastRead === undefined ? {} : { nextCursor: deps.cursors.encode(page.lastRead, scope) }),
  };
}
