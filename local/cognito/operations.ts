import type {
  AdminConfirmSignUpRequest,
  AdminConfirmSignUpResponse,
  AdminCreateUserRequest,
  AdminCreateUserResponse,
  AdminGetUserRequest,
  AdminGetUserResponse,
  AdminInitiateAuthRequest,
  AdminInitiateAuthResponse,
  AdminSetUserPasswordRequest,
  AdminSetUserPasswordResponse,
  AdminUpdateUserAttributesRequest,
  AdminUpdateUserAttributesResponse,
  AdminUserGlobalSignOutRequest,
  AdminUserGlobalSignOutResponse,
  AssociateSoftwareTokenRequest,
  AssociateSoftwareTokenResponse,
  ChangePasswordRequest,
  ChangePasswordResponse,
  ConfirmForgotPasswordRequest,
  ConfirmForgotPasswordResponse,
  ConfirmSignUpRequest,
  ConfirmSignUpResponse,
  ForgotPasswordRequest,
  ForgotPasswordResponse,
  GlobalSignOutRequest,
  GlobalSignOutResponse,
  InitiateAuthRequest,
  InitiateAuthResponse,
  ResendConfirmationCodeRequest,
  ResendConfirmationCodeResponse,
  RespondToAuthChallengeRequest,
  RespondToAuthChallengeResponse,
  RevokeTokenRequest,
  RevokeTokenResponse,
  SignUpRequest,
  SignUpResponse,
  UpdateUserAttributesRequest,
  UpdateUserAttributesResponse,
  VerifySoftwareTokenRequest,
  VerifySoftwareTokenResponse,
  VerifyUserAttributeRequest,
  VerifyUserAttributeResponse,
} from '@aws-sdk/client-cognito-identity-provider';

/**
 * The Cognito operations the local layer corrects or calls, with the SDK's own request and
 * response types: the JSON on the wire has the same members (the JSON 1.1 protocol), except
 * that timestamps travel as epoch seconds where the SDK types say `Date`; nothing here reads
 * a timestamp.
 */
export interface CognitoOperations {
  AdminConfirmSignUp: [AdminConfirmSignUpRequest, AdminConfirmSignUpResponse];
  AdminCreateUser: [AdminCreateUserRequest, AdminCreateUserResponse];
  AdminGetUser: [AdminGetUserRequest, AdminGetUserResponse];
  AdminInitiateAuth: [AdminInitiateAuthRequest, AdminInitiateAuthResponse];
  AdminSetUserPassword: [AdminSetUserPasswordRequest, AdminSetUserPasswordResponse];
  AdminUpdateUserAttributes: [AdminUpdateUserAttributesRequest, AdminUpdateUserAttributesResponse];
  AdminUserGlobalSignOut: [AdminUserGlobalSignOutRequest, AdminUserGlobalSignOutResponse];
  AssociateSoftwareToken: [AssociateSoftwareTokenRequest, AssociateSoftwareTokenResponse];
  ChangePassword: [ChangePasswordRequest, ChangePasswordResponse];
  ConfirmForgotPassword: [ConfirmForgotPasswordRequest, ConfirmForgotPasswordResponse];
  ConfirmSignUp: [ConfirmSignUpRequest, ConfirmSignUpResponse];
  ForgotPassword: [ForgotPasswordRequest, ForgotPasswordResponse];
  GlobalSignOut: [GlobalSignOutRequest, GlobalSignOutResponse];
  InitiateAuth: [InitiateAuthRequest, InitiateAuthResponse];
  ResendConfirmationCode: [ResendConfirmationCodeRequest, ResendConfirmationCodeResponse];
  RespondToAuthChallenge: [RespondToAuthChallengeRequest, RespondToAuthChallengeResponse];
  RevokeToken: [RevokeTokenRequest, RevokeTokenResponse];
  SignUp: [SignUpRequest, SignUpResponse];
  UpdateUserAttributes: [UpdateUserAttributesRequest, UpdateUserAttributesResponse];
  VerifySoftwareToken: [VerifySoftwareTokenRequest, VerifySoftwareTokenResponse];
  VerifyUserAttribute: [VerifyUserAttributeRequest, VerifyUserAttributeResponse];
}

export type OperationName = keyof CognitoOperations;
export type RequestOf<O extends OperationName> = CognitoOperations[O][0];
export type ResponseOf<O extends OperationName> = CognitoOperations[O][1];
