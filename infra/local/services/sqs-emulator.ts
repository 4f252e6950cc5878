// fauxqs runs in-process (library mode): it starts in milliseconds and dies with the twin.
import { mkdir } from 'node:fs/promises';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { LOCAL_REGION } from '../local-aws.ts';

export interface SqsEmulator {
  readonly endpoint: string;
  readonly server: FauxqsServer;
  stop(): Promise<void>;
}

export interface SqsEmulatorOptions {
  readonly port: number;
  /** SQLite persistence folder; omit to keep queues in memory. */
  readonly dataDir?: string;
}

export async function startSqsEmulator(options: SqsEmulatorOptions): Promise<SqsEmulator> {
  if (options.dataDir !== undefined) await mkdir(options.dataDir, { recursive: true });
  const server = await startFauxqs({
    port: options.port,
    logger: false,
    defaultRegion: LOCAL_REGION,
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
  });
  return { endpoint: `http://127.0.0.1:${server.port}`, server, stop: () => server.stop() };
}
