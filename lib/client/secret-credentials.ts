import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { classifyAwsError } from './aws-errors';
import { parseSecretJson } from './broker-directory';
import type { Credentials } from './messaging-client';

/**
 * `refreshCredentials` for a MessagingClient: reads the secret's AWSCURRENT `{"username", "password"}`
 * each time. With alternating-user rotation the username changes too, so both are re-read.
 */
export function secretCredentials(secrets: SecretsManagerClient, secretId: string): () => Promise<Credentials> {
  return async () => {
    let text: string | undefined;
    try {
      text = (await secrets.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString;
    } catch (e) {
      throw classifyAwsError(e, `reading secret ${secretId}`);
    }
    return parseSecretJson(text, secretId);
  };
}
