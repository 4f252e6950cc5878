// The user pool's key set as the twin serves it: requests for
// https://cognito-idp.<region>.amazonaws.com/<pool>/.well-known/jwks.json are answered by
// cognito-local, which issues the twin's tokens under that issuer. For the twin's own JWT
// authorizer (the Lambda environments redirect the same requests in lambda-worker.ts).
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';

export function localJwksCache(cognitoEndpoint: string): SimpleJwksCache {
  return new SimpleJwksCache({
    fetcher: {
      async fetch(uri) {
        const local = new URL(new URL(uri).pathname, cognitoEndpoint);
        const response = await fetch(local);
        if (!response.ok) throw new Error(`cognito-local answered ${response.status} for its key set`);
        return response.arrayBuffer();
      },
    },
  });
}
