// The function environment the handlers read at import time (see src/config.ts).
Object.assign(process.env, {
  AWS_REGION: 'us-east-1',
  USER_POOL_ID: 'us-east-1_TestPool1',
  USER_POOL_CLIENT_ID: 'testclient0000000000000001',
  ALLOWED_ORIGINS: 'https://app.example.com,http://localhost:5173',
  REFRESH_COOKIE_SAMESITE: 'Strict',
  REFRESH_TOKEN_VALIDITY_DAYS: '30',
  USER_DATA_BUCKET: 'test-user-data',
  CURSOR_SIGNING_KEY: 'test-cursor-key-0123456789',
  TOTP_ISSUER: 'Example App',
  POWERTOOLS_SERVICE_NAME: 'cognito-password-auth',
  POWERTOOLS_LOG_LEVEL: 'DEBUG',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
});
