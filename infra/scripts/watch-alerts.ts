// A clinician's screen in a terminal: opens the WebSocket with an access token, optionally
// subscribes to patients, and prints every pushed message as one JSON line. With --after, it
// first asks for what the user missed since that notification number (resume).
//
//   npm run -s watch -- <accessToken> [--after <seq>] [patientId ...]
//   (ws://localhost:$VIGIL_WS_PORT, 3001 by default; VIGIL_WS_URL overrides)
import WebSocket from 'ws';
import type { z } from 'zod';
import { type PingMessage, type ResumeMessage, ServerMessage, type SubscribeMessage } from '../../shared/api/websocket-messages.ts';
import { localPort } from '../local/local-ports.ts';

const [token, ...rest] = process.argv.slice(2);
const afterIndex = rest.indexOf('--after');
const after = afterIndex === -1 ? undefined : Number(rest[afterIndex + 1]);
const patientIds = afterIndex === -1 ? rest : rest.filter((_, index) => index !== afterIndex && index !== afterIndex + 1);
if (!token || (after !== undefined && !Number.isInteger(after))) {
  console.error('usage: npm run -s watch -- <accessToken> [--after <seq>] [patientId ...]');
  process.exit(2);
}
// The same port variable as `npm start`, so a twin on other ports is watched without more setup.
const url = process.env['VIGIL_WS_URL'] ?? `ws://localhost:${localPort('ws')}`;
const socket = new WebSocket(`${url}?token=${encodeURIComponent(token)}`);

socket.on('unexpected-response', (_request, response) => {
  console.error(`connection refused: HTTP ${response.statusCode} (is the token a current access token?)`);
  process.exit(1);
});
socket.on('error', (error) => {
  console.error(`cannot connect to ${url}: ${error.message} (is \`npm start\` running?)`);
  process.exit(1);
});
socket.on('open', () => {
  console.error(`connected to ${url}; waiting for pushes (Ctrl-C to stop)`);
  if (after !== undefined) socket.send(JSON.stringify({ action: 'resume', after } satisfies z.input<typeof ResumeMessage>));
  if (patientIds.length > 0) socket.send(JSON.stringify({ action: 'subscribe', patientIds } satisfies z.input<typeof SubscribeMessage>));
  // Keeps the connection inside API Gateway's 10-minute idle limit.
  setInterval(() => socket.send(JSON.stringify({ action: 'ping' } satisfies z.input<typeof PingMessage>)), 5 * 60 * 1000).unref();
});
socket.on('message', (data) => {
  const text = String(data);
  console.log(text);
  // Says so when the server sends something its own protocol does not describe.
  if (!ServerMessage.safeParse(JSON.parse(text)).success) console.error('(this message does not fit the protocol in /v1/asyncapi.json)');
});
socket.on('close', (code, reason) => {
  console.error(`connection closed (${code}${reason.length > 0 ? `: ${reason}` : ''})`);
  process.exit(code === 1000 ? 0 : 1);
});
process.on('SIGINT', () => socket.close(1000));
