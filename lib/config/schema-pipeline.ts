import { z } from 'zod';

/**
 * A delivery pipeline (config/pipelines/<name>.json, selected with `-c pipeline=<name>`): CDK
 * Pipelines in a tooling account that deploys environments of config/ each into its own account
 * and Region. Checked by lib/config/rules/pipeline-rules.ts.
 */
export const PipelineStageSchema = z
  .strictObject({
    environment: z.string().describe('An environment of config/ (config/<environment>.json), for example "prod".'),
    account: z
      .string()
      .optional()
      .describe("AWS account (12 digits) the environment deploys to. Default: the environment config's account, which must then be set."),
  })
  .describe('One environment the pipeline deploys, in the order given.');

export const PipelineConfigSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: z.string().describe('Pipeline name: lower-case letters, digits and "-" (the stack is MqPlatform-Pipeline-<name>).'),
    account: z.string().describe('Tooling account (12 digits) where the pipeline runs.'),
    region: z.string().describe('Region of the pipeline, for example "eu-west-1".'),
    source: z
      .strictObject({
        connectionArn: z
          .string()
          .describe(
            'ARN of an AWS CodeConnections connection to the repository host, created once in the console (its handshake needs a person).',
          ),
        repository: z.string().describe('Repository as "owner/name".'),
        branch: z.string().optional().describe('Branch the pipeline follows. Default: "main".'),
      })
      .describe('Where the source comes from.'),
    stages: z
      .array(PipelineStageSchema)
      .describe('Environments to deploy, in order; each runs the review gate first, and protected ones wait for a manual approval.'),
    selfMutation: z.boolean().optional().describe('The pipeline updates itself from the repository before deploying. Default: true.'),
  })
  .describe('An mq-platform delivery pipeline.');

export type PipelineConfig = z.output<typeof PipelineConfigSchema>;
export type PipelineConfigInput = z.input<typeof PipelineConfigSchema>;
