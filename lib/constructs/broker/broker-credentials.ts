import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { PASSWORD_EXCLUDED_CHARACTERS, PASSWORD_LENGTH } from '../../amazonmq/catalog';

export interface BrokerCredentialsProps {
  readonly username: string;
  /** Name of the secret, for example `mq-platform/dev/orders/app`. */
  readonly secretName: string;
  readonly encryptionKey: kms.IKey;
  /** @default RemovalPolicy.RETAIN - a stack deletion keeps the secret */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A broker user's credentials: a Secrets Manager secret `{"username", "password"}` whose password
 * Secrets Manager generates at deploy time, so it never exists in code, config or template.
 */
export class BrokerCredentials extends Construct {
  public readonly secret: secretsmanager.Secret;
  public readonly username: string;
  /** The secret's name, for example `mq-platform/dev/orders/app`. */
  public readonly secretName: string;

  constructor(scope: Construct, id: string, props: BrokerCredentialsProps) {
    super(scope, id);
    this.username = props.username;
    this.secretName = props.secretName;
    this.secret = new secretsmanager.Secret(this, 'Resource', {
      secretName: props.secretName,
      description: `Amazon MQ credentials of user ${props.username}`,
      encryptionKey: props.encryptionKey,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ username: props.username }),
        generateStringKey: 'password',
        passwordLength: PASSWORD_LENGTH,
        excludeCharacters: PASSWORD_EXCLUDED_CHARACTERS,
        requireEachIncludedType: true,
      },
    });
  }

  /** The password as a `{{resolve:secretsmanager:...}}` dynamic reference: resolved by CloudFormation, never stored. */
  public get passwordReference(): string {
    return this.secret.secretValueFromJson('password').unsafeUnwrap();
  }
}
