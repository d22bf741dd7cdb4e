import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { environmentTemplates, synthEnvironment } from '../../lib/app/synth';
import { parseConfig } from '../../lib/config/load-config';
import { tokenRotationInfo } from '../../lib/stacks/token-broker';
import { minimalConfig } from '../support/configs';

type Mutable = any; // test configs are edited freely

const ROLE = 'arn:aws:iam::123456789012:role/events-app';

function iamConfig(iam: boolean) {
  const c: Mutable = structuredClone(minimalConfig());
  if (iam) {
    const b = c.brokers[1];
    delete b.administrator;
    b.users = [];
    b.authentication = {
      strategy: 'iam',
      issuer: 'https://a1b2c3d4-0000-1111-2222-333344445555.tokens.sts.global.api.aws',
      roles: [{ roleArn: ROLE, permissions: [{ vhost: '/', read: '*' }] }],
    };
  }
  return parseConfig(c, 'test');
}

function templates(iam: boolean) {
  return environmentTemplates(iamConfig(iam), { baseline: false });
}

const stsEndpoints = (t: ReturnType<typeof templates>) =>
  Object.values(t['MqPlatform-test-Network'].Resources ?? {}).filter(
    (r: Mutable) => r.Type === 'AWS::EC2::VPCEndpoint' && JSON.stringify(r.Properties.ServiceName).includes('.sts'),
  ) as Mutable[];

test('an IAM broker: the VPC gets an STS endpoint whose policy lets its roles get tokens for its audience only', () => {
  const [endpoint, ...more] = stsEndpoints(templates(true));
  expect(more).toEqual([]);
  expect(endpoint.Properties.PrivateDnsEnabled).toBe(true);
  expect(endpoint.Properties.PolicyDocument.Statement).toEqual([
    {
      Action: 'sts:GetWebIdentityToken',
      Condition: {
        'ForAllValues:StringEquals': { 'sts:IdentityTokenAudience': ['rabbitmq'] },
        Null: { 'sts:IdentityTokenAudience': 'false' },
      },
      Effect: 'Allow',
      Principal: { AWS: ROLE },
      Resource: '*',
    },
  ]);
});

test('without an IAM broker (or consumers) the VPC gets no STS endpoint', () => {
  expect(stsEndpoints(templates(false))).toEqual([]);
});

test('an IAM broker without internal users: synth says, as an info on the broker (nothing to acknowledge), that nothing rotates on it', () => {
  const config = iamConfig(true);
  const b = config.brokers[1];
  const { stacks } = synthEnvironment(config, undefined, { baseline: false });
  const annotations = Annotations.fromStack(stacks.brokers);
  const expected =
    'brokers: "' +
    b.name +
    '" authenticates with IAM tokens only: it has no broker password, so the platform creates no user secret and rotates nothing on it; clients use short-lived STS tokens that they refresh before expiry';
  expect(tokenRotationInfo(b.name, 'iam')).toBe(expected);
  expect(annotations.findInfo('*', expected).map((m) => m.id)).toEqual([expect.stringMatching(new RegExp(`/${b.name}$`))]);
  expect(annotations.findWarning('*', Match.stringLikeRegexp('rotates nothing'))).toEqual([]);
  expect(tokenRotationInfo('events', 'oauth2')).toBe(
    'brokers: "events" authenticates with OAuth 2.0 tokens only: it has no broker password, so the platform creates no user secret and rotates nothing on it; clients use short-lived identity provider tokens that they refresh before expiry',
  );
});
