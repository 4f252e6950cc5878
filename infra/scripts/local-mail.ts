// What the local twin's user pool "mailed" someone: the temporary password of an invitation
// (a user created without a password, a caregiver invited by a patient) or the code of a
// password reset. In AWS these arrive by email; locally cognito-local keeps them on the user.
//
//   npm run -s local-mail -- <email>
import { join } from 'node:path';
import { storedUser } from '../local/services/cognito-local-db.ts';
import { REPO_ROOT } from '../local/lambda-runtime.ts';
import { readLocalState } from '../local/twin.ts';

const [email, ...rest] = process.argv.slice(2);
if (email === undefined || rest.length > 0) {
  console.error('usage: npm run -s local-mail -- <email>');
  process.exit(2);
}
const dataDir = process.env['VIGIL_LOCAL_DIR'] ?? join(REPO_ROOT, '.vigil-local');
const state = await readLocalState(dataDir);
if (state === undefined) {
  console.error(`no local twin state in ${dataDir}: run \`npm start\` first`);
  process.exit(1);
}
const user = await storedUser(dataDir, state.userPoolId, email);
if (user === undefined) {
  console.error(`the local user pool has no user ${email}`);
  process.exit(1);
}
const invitation = user.UserStatus === 'FORCE_CHANGE_PASSWORD' ? user.Password : undefined;
if (invitation === undefined && user.ConfirmationCode === undefined) {
  console.error(`nothing is waiting for ${email}: no pending invitation, no reset code`);
  process.exit(1);
}
console.log(
  JSON.stringify({
    email,
    ...(invitation === undefined ? {} : { temporaryPassword: invitation }),
    ...(user.ConfirmationCode === undefined ? {} : { resetCode: user.ConfirmationCode }),
  }),
);
