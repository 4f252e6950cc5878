import { createServer, type Server } from 'node:net';

/** Ports the OS reports free right now (all distinct), for emulators that cannot listen on port 0. */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    // Held open together so the OS cannot hand out the same port twice.
    for (let i = 0; i < count; i += 1) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', resolve);
      });
    }
    return servers.map((server) => {
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('could not allocate a port');
      return address.port;
    });
  } finally {
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }
}

export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  if (port === undefined) throw new Error('could not allocate a port');
  return port;
}
