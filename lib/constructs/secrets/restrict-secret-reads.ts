import { DefaultStackSynthesizer, Fn, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { secretArnPattern } from '../encryption/customer-managed-key';

export interface SecretReadAccess {
  /**
   * IAM role ARNs that may read the value: the platform's own roles (the credential rotation
   * function's) and the application roles named in config. Exact ARNs, no wildcards; more can be
   * added later with `SecretReaders.addReader`.
   * @default - none yet
   */
  readonly readers?: readonly string[];
  /**
   * The template resolves the secret in a `{{resolve:secretsmanager:…}}` dynamic reference, which
   * CloudFormation does with the permissions it deploys with: "To specify a secret stored in
   * Secrets Manager, you must have permission to call GetSecretValue for the secret"
   * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references-secretsmanager.html).
   * CDK deploys through its bootstrap's CloudFormation execution role, so that role may read it too.
   * @default false
   */
  readonly readByCloudFormation?: boolean;
  /**
   * The secret's customer-managed key: readers named by a literal ARN (roles outside this app, as
   * in config) also get kms:Decrypt on it through Secrets Manager, so that naming a role in config
   * is all it takes. Roles of this app (ARN tokens, such as the rotation function's) get the
   * decrypt from their own IAM policy. One statement per key names every such reader and the
   * secrets' name prefixes (`<prefix>/*`), which keeps the key policy far below KMS's 32 KB however
   * many users a broker has; which reader reads which secret is the secrets' resource policies' job.
   * @default - no key policy statement (the readers' own IAM policies must allow the decrypt)
   */
  readonly encryptionKey?: kms.IKey;
}

/** The readers of one secret; statements follow the list until synthesis. */
export interface SecretReaders {
  /** Lets one more IAM role (exact ARN) read the secret's value. */
  addReader(roleArn: string): void;
}

/**
 * Makes a secret's value readable only by named roles: a resource policy that allows them
 * GetSecretValue and DescribeSecret, and denies GetSecretValue to every other principal — account
 * root and administrators included — with the "deny all but" pattern on `aws:PrincipalArn`
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn).
 * Only reading is denied: an operator keeps DescribeSecret, rotation, tags, PutSecretValue,
 * deletion and the resource policy itself (Get/Put/DeleteResourcePolicy), so the secret can
 * always be managed, and reading it means changing this policy (visible in CloudTrail and in a
 * review). Secrets Manager refuses the policy if it grants public access (BlockPublicPolicy).
 * Call it once per secret.
 */
export function restrictSecretReads(secret: secretsmanager.Secret, access: SecretReadAccess = {}): SecretReaders {
  const stack = Stack.of(secret);
  const readers: string[] = [];
  const readerList = Lazy.list({ produce: () => readers });
  const exempt = Lazy.list({
    produce: () => {
      const all = access.readByCloudFormation ? [...readers, cloudFormationExecutionRoleArn(stack)] : readers;
      if (all.length === 0) throw new Error(`${secret.node.path}: nobody may read this secret; name at least one reader`);
      return all;
    },
  });

  secret.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'NobodyElseReadsTheValue',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['secretsmanager:GetSecretValue'],
      resources: ['*'],
      conditions: { ArnNotEquals: { 'aws:PrincipalArn': exempt } },
    }),
  );
  const policy = secret.node.tryFindChild('Policy')?.node.defaultChild as secretsmanager.CfnResourcePolicy | undefined;
  if (policy) policy.blockPublicPolicy = true;

  const name = (secret.node.defaultChild as secretsmanager.CfnSecret).name;
  const addReader = (arn: string) => {
    if (!Token.isUnresolved(arn) && !/^arn:[a-z-]+:iam::\d{12}:role\/[^*?]+$/.test(arn)) {
      throw new Error(`${secret.node.path}: reader ${arn} is not an exact IAM role ARN`);
    }
    if (readers.includes(arn)) return;
    readers.push(arn);
    if (access.encryptionKey && name !== undefined && !Token.isUnresolved(arn)) allowReaderToDecrypt(access.encryptionKey, arn, name);
    if (readers.length > 1) return;
    secret.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'NamedReadersReadTheValue',
        principals: [new iam.AnyPrincipal()],
        actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        resources: ['*'],
        conditions: { ArnEquals: { 'aws:PrincipalArn': readerList } },
      }),
    );
  };
  for (const arn of access.readers ?? []) addReader(arn);
  return { addReader };
}

/** Per key: the outside readers and the secret name prefixes they decrypt through Secrets Manager. */
const keyReaders = new WeakMap<kms.IKey, { readers: string[]; prefixes: string[] }>();

function allowReaderToDecrypt(key: kms.IKey, readerArn: string, secretName: string): void {
  const prefix = `${secretName.slice(0, secretName.lastIndexOf('/') + 1)}*`;
  const known = keyReaders.get(key);
  if (known) {
    if (!known.readers.includes(readerArn)) known.readers.push(readerArn);
    if (!known.prefixes.includes(prefix)) known.prefixes.push(prefix);
    return;
  }
  const entry = { readers: [readerArn], prefixes: [prefix] };
  keyReaders.set(key, entry);
  const stack = Stack.of(key);
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'NamedReadersDecryptThroughSecretsManager',
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:Decrypt'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'kms:ViaService': `secretsmanager.${stack.region}.amazonaws.com` },
        ArnLike: { 'kms:EncryptionContext:SecretARN': Lazy.list({ produce: () => entry.prefixes.map((p) => secretArnPattern(stack, p)) }) },
        ArnEquals: { 'aws:PrincipalArn': Lazy.list({ produce: () => entry.readers }) },
      },
    }),
  );
}

/** The role CloudFormation deploys this stack with: the bootstrap's execution role (CDK's default synthesizer). */
function cloudFormationExecutionRoleArn(stack: Stack): string {
  const synthesizer = stack.synthesizer;
  const arn = synthesizer instanceof DefaultStackSynthesizer ? synthesizer.cloudFormationExecutionRole : undefined;
  if (!arn)
    throw new Error(
      `${stack.stackName}: no CloudFormation execution role to let read the secrets it resolves (use the default stack synthesizer)`,
    );
  return arn.includes('${') ? Fn.sub(arn) : arn;
}
