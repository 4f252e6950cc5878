import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The shared reference data sits next to the repository: <repo>/../shared/data/ecg. */
export const ECG_DATA_DIR = fileURLToPath(new URL('../../../../shared/data/ecg/', import.meta.url));
export const MITDB_RECORDS = ['100', '103', '106'] as const;

export function mitdbRecord(name: string): string {
  return `${ECG_DATA_DIR}mitdb/${name}`;
}

export function cincRecord(name: string): string {
  return `${ECG_DATA_DIR}cinc2017/${name}`;
}

export function referenceDataAvailable(): boolean {
  return existsSync(`${ECG_DATA_DIR}mitdb/100.hea`);
}
