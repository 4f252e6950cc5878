// Where the real ECG records live. The tests read only the records copied into the repository
// (test/fixtures/ecg), so a clone passes on its own; benchmarks may also read the larger
// reference collection beside the repository, and say so when it is not there.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Records in the repository: MIT-BIH 100, 103, 106 and two CinC 2017 clips (see its README). */
export const FIXTURE_ECG_DIR = fileURLToPath(new URL('../fixtures/ecg/', import.meta.url));
export const FIXTURE_MITDB_RECORDS = ['100', '103', '106'] as const;

export function fixtureMitdbRecord(name: (typeof FIXTURE_MITDB_RECORDS)[number]): string {
  return `${FIXTURE_ECG_DIR}mitdb/${name}`;
}

export function fixtureCincRecord(name: 'A00001' | 'A00009'): string {
  return `${FIXTURE_ECG_DIR}cinc2017/${name}`;
}

/** The team's reference collection beside the repository: <repo>/../shared/data/ecg. */
export const SHARED_ECG_DIR = fileURLToPath(new URL('../../../shared/data/ecg/', import.meta.url));

/** Where the public data come from, for a benchmark that finds the collection missing. */
export const PUBLIC_ECG_SOURCES =
  'MIT-BIH Arrhythmia Database: https://physionet.org/content/mitdb/1.0.0/; ' +
  'CinC 2017 challenge clips: https://physionet.org/content/challenge-2017/1.0.0/';

/** The folder of the shared collection, or undefined when it is not beside the repository. */
export function sharedEcgFolder(folder: 'mitdb' | 'cinc2017' | 'cinc2017-train'): string | undefined {
  const path = `${SHARED_ECG_DIR}${folder}/`;
  return existsSync(path) ? path : undefined;
}
