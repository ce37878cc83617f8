/**
 * Where tokens say they come from: Cognito's issuer for the pool. cognito-local is configured
 * with this domain (emulator.ts), so local tokens carry exactly the `iss` of deployed ones and
 * production verification code runs unchanged.
 */
export const issuerDomain = (region: string) => `https://cognito-idp.${region}.amazonaws.com`;
