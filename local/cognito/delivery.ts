import type { CodeDeliveryDetailsType } from '@aws-sdk/client-cognito-identity-provider';

/** Where Cognito says it sent a code, masked as it masks it: "a***@e***". */
export function maskedDelivery(email: string): CodeDeliveryDetailsType {
  const [local = '', domain = ''] = email.split('@');
  return {
    AttributeName: 'email',
    DeliveryMedium: 'EMAIL',
    Destination: `${local.slice(0, 1)}***@${domain.slice(0, 1)}***`,
  };
}
