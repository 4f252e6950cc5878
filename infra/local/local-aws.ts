// What the twin tells the AWS SDK: a fixed region and throwaway credentials. The emulators
// accept any credentials; the SDK just refuses to sign without some.
export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT_ID = '000000000000';
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
