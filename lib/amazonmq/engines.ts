/**
 * Amazon MQ's own vocabulary: the values CloudFormation's AWS::AmazonMQ::Broker accepts for
 * EngineType, DeploymentMode, StorageType and MaintenanceWindowStartTime.DayOfWeek, and the wire
 * protocols a broker speaks. Source: SOURCES.cfnBroker in ./catalog. The one definition of these
 * types; config, constructs, the rotation function and the client import them from here.
 */
export const ENGINES = ['ACTIVEMQ', 'RABBITMQ'] as const;
export const DEPLOYMENT_MODES = ['SINGLE_INSTANCE', 'ACTIVE_STANDBY_MULTI_AZ', 'CLUSTER_MULTI_AZ'] as const;
export const STORAGE_TYPES = ['EBS', 'EFS'] as const;
export const DAYS_OF_WEEK = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;
export const PROTOCOLS = ['OPENWIRE', 'STOMP', 'AMQP', 'MQTT', 'WSS', 'CONSOLE'] as const;

export type Engine = (typeof ENGINES)[number];
export type DeploymentMode = (typeof DEPLOYMENT_MODES)[number];
export type StorageType = (typeof STORAGE_TYPES)[number];
export type Protocol = (typeof PROTOCOLS)[number];
export type DayOfWeek = (typeof DAYS_OF_WEEK)[number];
