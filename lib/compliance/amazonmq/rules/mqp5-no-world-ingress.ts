import { CfnSecurityGroup, CfnSecurityGroupIngress } from 'aws-cdk-lib/aws-ec2';
import { COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE, namedRule, resolved } from './helpers';
import { PROTOCOL_PORTS } from '../../../amazonmq/catalog';

const BROKER_PORTS = [...new Set(Object.values(PROTOCOL_PORTS).flatMap((ports) => Object.values(ports) as number[]))];
const WORLD = ['0.0.0.0/0', '::/0'];

interface IngressRule {
  cidrIp?: string;
  cidrIpv6?: string;
  fromPort?: number;
  toPort?: number;
  ipProtocol?: string;
}

function opensBrokerPortToWorld(r: IngressRule): boolean {
  if (!WORLD.includes(r.cidrIp as string) && !WORLD.includes(r.cidrIpv6 as string)) return false;
  if (r.ipProtocol === '-1') return true;
  const from = r.fromPort ?? 0;
  const to = r.toPort ?? 65535;
  return BROKER_PORTS.some((p) => p >= from && p <= to);
}

/** MQP.5: no security group opens an Amazon MQ port (5671, 443, 8162, 8883, 61614, 61617, 61619) to 0.0.0.0/0 or ::/0. */
export default namedRule('MQP.5', (node) => {
  if (node instanceof CfnSecurityGroup) {
    const rules = (resolved(node, node.securityGroupIngress) ?? []) as IngressRule[];
    return rules.some(opensBrokerPortToWorld) ? NON_COMPLIANT : COMPLIANT;
  }
  if (node instanceof CfnSecurityGroupIngress) {
    return opensBrokerPortToWorld(
      resolved(node, {
        cidrIp: node.cidrIp,
        cidrIpv6: node.cidrIpv6,
        fromPort: node.fromPort,
        toPort: node.toPort,
        ipProtocol: node.ipProtocol,
      }),
    )
      ? NON_COMPLIANT
      : COMPLIANT;
  }
  return NOT_APPLICABLE;
});
