/** The baseline for `npm run bench`: a CDK app with one empty stack, run the same way as ours. */
import { App, CfnWaitConditionHandle, Stack } from 'aws-cdk-lib';

const app = new App();
// CloudFormation wants one resource; this one costs nothing and does nothing.
new CfnWaitConditionHandle(new Stack(app, 'Empty', { env: { region: 'eu-west-1' } }), 'Placeholder');
app.synth();
