import { dynamoDbEndpoint } from '../../../src/sessions/dynamodb';

describe("DynamoDB's endpoint", () => {
  it('is the regional HTTPS endpoint on AWS (OWASP ASVS 12.2.1), China included', () => {
    expect(dynamoDbEndpoint('eu-west-1', undefined).href).toBe(
      'https://dynamodb.eu-west-1.amazonaws.com/',
    );
    expect(dynamoDbEndpoint('cn-north-1', undefined).href).toBe(
      'https://dynamodb.cn-north-1.amazonaws.com.cn/',
    );
  });

  it('is the local one only when DYNAMODB_ENDPOINT says so', () => {
    expect(dynamoDbEndpoint('us-east-1', 'http://127.0.0.1:4567').href).toBe(
      'http://127.0.0.1:4567/',
    );
  });
});
