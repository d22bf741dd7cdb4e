import { environmentTemplates } from '../../lib/app/synth';
import { consequence } from '../../lib/review/replacement-guard';
import { diffEnvironment } from '../../lib/review/template-diff';
import { fixtureConfig } from '../support/configs';

type Mutable = any; // templates are edited freely in this test

test('switching a deployed broker to token authentication replaces it through CloudFormation; the review says how to keep it', () => {
  const base = environmentTemplates(fixtureConfig('production'), { baseline: false });
  const head = structuredClone(base) as Record<string, Mutable>;
  const [stack, id] = Object.entries(head).flatMap(([s, t]) =>
    Object.entries(t.Resources as Record<string, Mutable>)
      .filter(([, r]) => r.Type === 'AWS::AmazonMQ::Broker' && r.Properties.EngineType === 'RABBITMQ')
      .map(([i]) => [s, i]),
  )[0];
  head[stack].Resources[id].Properties.AuthenticationStrategy = 'CONFIG_MANAGED';
  const change = diffEnvironment(base, head).changes.find((c) => c.logicalId === id)!;
  expect(change.kind).toBe('replaced');
  expect(change.properties.find((p) => p.name === 'AuthenticationStrategy')?.effect).toBe('replace');
  expect(consequence(change)).toContain(
    "every client of broker events that still presents the old kind of credentials is refused. To keep the broker, switch it in place with Amazon MQ's UpdateBroker (IAM permission mq:UpdateBrokerAccessConfiguration) and its configuration first, then deploy the config with the new strategy",
  );
});
