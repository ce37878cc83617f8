import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { callCognitoOrFail } from '../client/cognito';
import { type LocalOutputs, type LocalStack, startLocalStack } from '../local/stack';
import type { ContractTarget } from './contract-suite';

/**
 * The contract suite's target on this machine: the local stack on free ports, with its own
 * build and data directories (a running `npm start` is left alone), and a throw-away user made
 * the way the deploy workflow makes one on AWS (AdminCreateUser with SUPPRESS, then a
 * permanent password). The local Cognito takes admin calls without credentials.
 */

export interface ThrowAwayUser {
  username: string;
  password: string;
}

type CognitoOutputs = Pick<LocalOutputs, 'CognitoEndpoint' | 'UserPoolId'>;

/** A confirmed user with a verified email and a permanent password that meets any policy. */
export async function createThrowAwayUser(outputs: CognitoOutputs): Promise<ThrowAwayUser> {
  const username = `contract-${randomBytes(4).toString('hex')}@example.com`;
  const password = `Contract-${randomBytes(12).toString('hex')}-Pw1!`;
  const { CognitoEndpoint: endpoint, UserPoolId } = outputs;
  await callCognitoOrFail(endpoint, 'AdminCreateUser', {
    UserPoolId,
    Username: username,
    MessageAction: 'SUPPRESS',
    UserAttributes: [
      { Name: 'email', Value: username },
      { Name: 'email_verified', Value: 'true' },
    ],
  });
  await callCognitoOrFail(endpoint, 'AdminSetUserPassword', {
    UserPoolId,
    Username: username,
    Password: password,
    Permanent: true,
  });
  return { username, password };
}

export async function deleteUser(outputs: CognitoOutputs, username: string): Promise<void> {
  const { CognitoEndpoint: endpoint, UserPoolId } = outputs;
  await callCognitoOrFail(endpoint, 'AdminDeleteUser', { UserPoolId, Username: username });
}

export interface LocalTarget {
  target: ContractTarget;
  stack: LocalStack;
  /** Deletes the user, stops the stack and removes its directories; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Builds the bundles, starts the stack and creates the user. Whatever was started is stopped
 * again when a later step fails, so a failed start leaves nothing running.
 */
export async function startLocalTarget(progress: (step: string) => void): Promise<LocalTarget> {
  const buildDir = await mkdtemp(path.join(tmpdir(), 'contract-build-'));
  const dataDir = await mkdtemp(path.join(tmpdir(), 'contract-data-'));
  const steps: (() => Promise<void>)[] = [
    () => rm(buildDir, { recursive: true, force: true }),
    () => rm(dataDir, { recursive: true, force: true }),
  ];
  const stop = async () => {
    for (const step of steps.splice(0).reverse()) {
      await step().catch((error: Error) => console.warn(`⚠ clean-up: ${error.message}`));
    }
  };
  try {
    progress('Starting the local stack on free ports (bundling the functions first)');
    const stack = await startLocalStack({
      dataDir,
      apiPort: 0,
      cognitoPort: 0,
      s3Port: 0,
      dynamoDbPort: 0,
      webPort: 0,
      build: true,
      buildDir,
      onProgress: progress,
      onWarning: (message) => console.warn(`⚠ ${message}`),
    });
    steps.push(() => stack.stop());
    const user = await createThrowAwayUser(stack.outputs);
    progress(`Created the throw-away user ${user.username}`);
    steps.push(async () => {
      await deleteUser(stack.outputs, user.username);
      progress(`Deleted the throw-away user ${user.username}`);
    });
    return {
      stack,
      stop,
      target: {
        apiUrl: stack.outputs.ApiUrl,
        cognitoEndpoint: stack.outputs.CognitoEndpoint,
        userPoolClientId: stack.outputs.UserPoolClientId,
        ...user,
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
