import { Annotations, CfnOutput, Tags, Validations, type Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { isTokenAuthentication } from '../config/authentication-plan';
import type { ResolvedBroker } from '../config/resolve';
import * as names from '../contract/names';
import { TAG_KEYS } from '../contract/tags';
import type { MqBroker } from '../constructs/broker/mq-broker';
import type { MqNetwork } from '../constructs/network/mq-network';
import type { MqBrokerTokenAuthentication } from '../constructs/broker/token-authentication';

/** The broker's token authentication (IAM, OAuth 2.0) as MqBroker props, when its strategy is one. */
export function tokenBrokerProps(b: ResolvedBroker): MqBrokerTokenAuthentication | undefined {
  const a = b.authentication;
  if (!isTokenAuthentication(a)) return undefined;
  return {
    kind: a.strategy,
    audience: a.audience,
    internalUsers: a.internalUsers,
    tokenLifetimeSeconds: a.tokenLifetimeSeconds,
    rabbitMqConf: a.rabbitMqConf,
  };
}

/**
 * A token broker after construction: each IAM role of the config may get tokens for the broker
 * (its scope alias is already in the plan's entries), and outputs name the audience and issuer.
 * Returns true when the broker has no password user, so the caller skips credential rotation
 * (an info on the broker says so at synth, as for LDAP: nothing to acknowledge).
 */
export function completeTokenBroker(stack: Stack, b: ResolvedBroker, broker: MqBroker): boolean {
  const a = b.authentication;
  if (!isTokenAuthentication(a)) return false;
  if (a.strategy === 'iam' && a.roles.length > 0) {
    // One managed policy attached to the application roles of the config (same account, by ARN).
    const roles = a.roles.map((r, i) => iam.Role.fromRoleArn(stack, `${b.name}ConnectRole${i}`, r.roleArn, { mutable: false }));
    const policy = new iam.ManagedPolicy(stack, `${b.name}ConnectPolicy`, {
      description: `Lets the application roles of ${b.brokerName} get STS web identity tokens for it (IAM authentication)`,
      statements: broker.webIdentityTokenStatements(),
      roles,
    });
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason: `sts:GetWebIdentityToken has no resource type; the statement allows tokens only for audience "${a.audience}", at most ${a.tokenLifetimeSeconds} s, signed RS256 or ES384 (sts:IdentityTokenAudience, sts:DurationSeconds, sts:SigningAlgorithm)`,
    });
  }
  // What the CLI needs to get a token: Amazon MQ reports only CONFIG_MANAGED.
  Tags.of(broker.resource).add(TAG_KEYS.authentication, a.strategy);
  Tags.of(broker.resource).add(TAG_KEYS.tokenAudience, a.audience);
  const prefix = names.outputIdPrefix(b.name);
  new CfnOutput(stack, `${prefix}TokenAudience`, {
    value: a.audience,
    description: `Audience (resource server id) of the ${a.strategy === 'iam' ? 'STS web identity' : 'OAuth 2.0'} tokens ${b.brokerName} accepts`,
  });
  if (a.issuer) new CfnOutput(stack, `${prefix}TokenIssuer`, { value: a.issuer, description: `Token issuer ${b.brokerName} trusts` });
  if (!a.internalUsers) Annotations.of(broker).addInfo(tokenRotationInfo(b.name, a.strategy));
  return !a.internalUsers;
}

/** Why a token broker without internal users gets no secret and no rotation (an info, like LDAP's). */
export function tokenRotationInfo(broker: string, strategy: 'iam' | 'oauth2'): string {
  return `brokers: "${broker}" authenticates with ${strategy === 'iam' ? 'IAM' : 'OAuth 2.0'} tokens only: it has no broker password, so the platform creates no user secret and rotates nothing on it; clients use short-lived ${strategy === 'iam' ? 'STS' : 'identity provider'} tokens that they refresh before expiry`;
}

/**
 * IAM-authenticated applications inside the brokers' VPC (isolated subnets) reach STS through the
 * VPC's STS interface endpoint; its policy lets exactly the config's roles get web identity tokens
 * for their broker's audience (outbound identity federation: VPC endpoint policies can restrict
 * GetWebIdentityToken, AUTHENTICATION_SOURCES.outboundFederation). No IAM broker, no statement.
 */
export function addWebIdentityTokenEndpoint(network: MqNetwork, brokers: readonly ResolvedBroker[]): void {
  for (const b of brokers) {
    const a = b.authentication;
    if (!isTokenAuthentication(a) || a.strategy !== 'iam' || a.roles.length === 0) continue;
    network.stsInterfaceEndpoint().addToPolicy(
      new iam.PolicyStatement({
        principals: a.roles.map((r) => new iam.ArnPrincipal(r.roleArn)),
        actions: ['sts:GetWebIdentityToken'],
        resources: ['*'],
        conditions: {
          'ForAllValues:StringEquals': { 'sts:IdentityTokenAudience': [a.audience] },
          Null: { 'sts:IdentityTokenAudience': 'false' },
        },
      }),
    );
  }
}
