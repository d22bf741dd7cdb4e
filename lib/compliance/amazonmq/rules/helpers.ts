import { Stack, type CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, type NagRuleResult } from 'cdk-nag';

/** Resolves a CloudFormation property value as it will appear in the template. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a resolved template value has any JSON shape; each rule reads the fields it checks
export function resolved(node: CfnResource, value: unknown): any {
  return Stack.of(node).resolve(value);
}

/** Gives a rule function the name cdk-nag uses as its id suffix. */
export function namedRule(name: string, rule: (node: CfnResource) => NagRuleResult): (node: CfnResource) => NagRuleResult {
  return Object.defineProperty(rule, 'name', { value: name });
}

export const { COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE } = NagRuleCompliance;
