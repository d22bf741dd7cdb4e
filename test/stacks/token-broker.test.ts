import { environmentTemplates } from '../../lib/app/synth';
import { parseConfig } from '../../lib/config/load-config';
import { minimalConfig } from '../support/configs';

type Mutable = any; // test configs are edited freely

const ROLE = 'arn:aws:iam::123456789012:role/events-app';

function templates(iam: boolean) {
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
  return environmentTemplates(parseConfig(c, 'test'), { baseline: false });
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
