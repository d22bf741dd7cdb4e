/**
 * The part of Amazon MQ's ActiveMQ configuration schema that mq-platform writes or lets features
 * add: each element with the attributes and child elements Amazon MQ accepts. Amazon MQ silently
 * drops ("sanitizes") anything else from an uploaded configuration, so synth refuses it instead.
 * Sources: ACTIVEMQ_ELEMENT_SOURCES (the permitted elements, attributes and child collections, and
 * the XSD the configuration page links, amazon-mq-active-mq-5.18/5.19, which agree on these
 * elements). Elements not listed here are refused, even where Amazon MQ would take them: add them
 * with their page when a feature needs them.
 */
const DOCS = 'https://docs.aws.amazon.com/amazon-mq/latest/developer-guide';

export const ACTIVEMQ_ELEMENT_SOURCES = {
  configuration: `${DOCS}/amazon-mq-broker-configuration-parameters.html`,
  elements: `${DOCS}/permitted-elements.html`,
  attributes: `${DOCS}/permitted-attributes.html`,
  collections: `${DOCS}/permitted-collections.html`,
  users: `${DOCS}/amazon-mq-listing-managing-users.html`,
  redelivery: 'https://activemq.apache.org/components/classic/documentation/message-redelivery-and-dlq-handling',
  redeliveryPlugin:
    'https://github.com/apache/activemq/blob/main/activemq-broker/src/main/java/org/apache/activemq/broker/util/RedeliveryPlugin.java',
  destinationPolicies: 'https://activemq.apache.org/components/classic/documentation/per-destination-policies',
} as const;

export interface ActiveMqElementFact {
  readonly attributes?: readonly string[];
  readonly children?: readonly string[];
}

const AUTHORIZATION_ENTRY = ['admin', 'queue', 'read', 'tempQueue', 'tempTopic', 'topic', 'write'];
const DEAD_LETTER_COMMON = ['enableAudit', 'expiration', 'maxAuditDepth', 'maxProducersToAudit', 'processExpired', 'processNonPersistent'];

/** Element name -> what Amazon MQ accepts in it. `defaultEntry` is keyed by its parent (it means a different entry in each map). */
export const ACTIVEMQ_ELEMENTS: Readonly<Record<string, ActiveMqElementFact>> = {
  broker: {
    attributes: [
      'advisorySupport',
      'allowTempAutoCreationOnSend',
      'cacheTempDestinations',
      'consumerSystemUsagePortion',
      'dedicatedTaskRunner',
      'deleteAllMessagesOnStartup',
      'enableMessageExpirationOnActiveDurableSubs',
      'keepDurableSubsActive',
      'maxPurgedDestinationsPerSweep',
      'maxSchedulerRepeatAllowed',
      'monitorConnectionSplits',
      'offlineDurableSubscriberTaskSchedule',
      'offlineDurableSubscriberTimeout',
      'persistenceThreadPriority',
      'persistent',
      'populateJMSXUserID',
      'producerSystemUsagePortion',
      'rejectDurableConsumers',
      'rollbackOnlyOnAsyncException',
      'schedulePeriodForDestinationPurge',
      'schedulerSupport',
      'splitSystemUsageForProducersConsumers',
      'taskRunnerPriority',
      'timeBeforePurgeTempDestinations',
      'useAuthenticatedPrincipalForJMSXUserID',
      'useMirroredQueues',
      'useTempMirroredQueues',
      'useVirtualDestSubs',
      'useVirtualDestSubsOnCreation',
      'useVirtualTopics',
    ],
    children: ['destinationPolicy', 'plugins'],
  },
  destinationPolicy: { children: ['policyMap'] },
  policyMap: { children: ['policyEntries', 'defaultEntry'] },
  policyEntries: { children: ['policyEntry'] },
  'policyMap/defaultEntry': { children: ['policyEntry'] },
  policyEntry: {
    attributes: [
      'advisoryForConsumed',
      'advisoryForDelivery',
      'advisoryForDiscardingMessages',
      'advisoryForDispatched',
      'advisoryForFastProducers',
      'advisoryForSlowConsumers',
      'advisoryWhenFull',
      'allConsumersExclusiveByDefault',
      'alwaysRetroactive',
      'blockedProducerWarningInterval',
      'consumersBeforeDispatchStarts',
      'cursorMemoryHighWaterMark',
      'doOptimzeMessageStorage',
      'durableTopicPrefetch',
      'enableAudit',
      'expireMessagesPeriod',
      'gcInactiveDestinations',
      'gcWithNetworkConsumers',
      'inactiveTimeoutBeforeGC',
      'inactiveTimoutBeforeGC',
      'includeBodyForAdvisory',
      'lazyDispatch',
      'maxAuditDepth',
      'maxBrowsePageSize',
      'maxDestinations',
      'maxExpirePageSize',
      'maxPageSize',
      'maxProducersToAudit',
      'maxQueueAuditDepth',
      'memoryLimit',
      'messageGroupMapFactoryType',
      'minimumMessageSize',
      'optimizeMessageStoreInFlightLimit',
      'optimizedDispatch',
      'persistJMSRedelivered',
      'prioritizedMessages',
      'producerFlowControl',
      'queue',
      'queueBrowserPrefetch',
      'queuePrefetch',
      'reduceMemoryFootprint',
      'sendAdvisoryIfNoConsumers',
      'sendDuplicateFromStoreToDLQ',
      'sendFailIfNoSpace',
      'sendFailIfNoSpaceAfterTimeout',
      'storeUsageHighWaterMark',
      'strictOrderDispatch',
      'tempQueue',
      'tempTopic',
      'timeBeforeDispatchStarts',
      'topic',
      'topicPrefetch',
      'useCache',
      'useConsumerPriority',
      'usePrefetchExtension',
      'useTopicSubscriptionInflightStats',
    ],
    children: ['deadLetterStrategy', 'pendingMessageLimitStrategy'],
  },
  deadLetterStrategy: { children: ['individualDeadLetterStrategy', 'sharedDeadLetterStrategy', 'discarding'] },
  individualDeadLetterStrategy: {
    attributes: [
      ...DEAD_LETTER_COMMON,
      'destinationPerDurableSubscriber',
      'queuePrefix',
      'queueSuffix',
      'topicPrefix',
      'topicSuffix',
      'useQueueForQueueMessages',
      'useQueueForTopicMessages',
    ],
  },
  sharedDeadLetterStrategy: { attributes: DEAD_LETTER_COMMON, children: ['deadLetterQueue'] },
  deadLetterQueue: { children: ['queue'] },
  queue: { attributes: ['dlq', 'physicalName'] },
  discarding: { attributes: [...DEAD_LETTER_COMMON, 'deadLetterQueue'] },
  pendingMessageLimitStrategy: { children: ['constantPendingMessageLimitStrategy'] },
  constantPendingMessageLimitStrategy: { attributes: ['limit'] },
  plugins: {
    children: [
      'authorizationPlugin',
      'discardingDLQBrokerPlugin',
      'forcePersistencyModeBrokerPlugin',
      'redeliveryPlugin',
      'statisticsBrokerPlugin',
      'timeStampingBrokerPlugin',
    ],
  },
  authorizationPlugin: { children: ['map'] },
  map: { children: ['authorizationMap', 'cachedLDAPAuthorizationMap'] },
  authorizationMap: { children: ['authorizationEntries', 'defaultEntry', 'tempDestinationAuthorizationEntry'] },
  authorizationEntries: { children: ['authorizationEntry'] },
  'authorizationMap/defaultEntry': { children: ['authorizationEntry'] },
  authorizationEntry: { attributes: AUTHORIZATION_ENTRY },
  // The collection and the entry share the name: <tempDestinationAuthorizationEntry><tempDestinationAuthorizationEntry .../>.
  tempDestinationAuthorizationEntry: { attributes: AUTHORIZATION_ENTRY, children: ['tempDestinationAuthorizationEntry'] },
  cachedLDAPAuthorizationMap: {
    attributes: ['legacyGroupMapping', 'queueSearchBase', 'refreshInterval', 'tempSearchBase', 'topicSearchBase'],
  },
  redeliveryPlugin: { attributes: ['fallbackToDeadLetter', 'sendToDlqIfMaxRetriesExceeded'], children: ['redeliveryPolicyMap'] },
  // Likewise: <redeliveryPolicyMap><redeliveryPolicyMap>.
  redeliveryPolicyMap: { children: ['redeliveryPolicyMap', 'defaultEntry', 'redeliveryPolicyEntries'] },
  'redeliveryPolicyMap/defaultEntry': { children: ['redeliveryPolicy'] },
  redeliveryPolicyEntries: { children: ['redeliveryPolicy'] },
  redeliveryPolicy: {
    attributes: [
      'backOffMultiplier',
      'collisionAvoidancePercent',
      'initialRedeliveryDelay',
      'maximumRedeliveries',
      'maximumRedeliveryDelay',
      'preDispatchCheck',
      'queue',
      'redeliveryDelay',
      'tempQueue',
      'tempTopic',
      'topic',
      'useCollisionAvoidance',
      'useExponentialBackOff',
    ],
  },
  discardingDLQBrokerPlugin: { attributes: ['dropAll', 'dropOnly', 'dropTemporaryQueues', 'dropTemporaryTopics', 'reportInterval'] },
  forcePersistencyModeBrokerPlugin: { attributes: ['persistenceFlag'] },
  statisticsBrokerPlugin: {},
  timeStampingBrokerPlugin: { attributes: ['futureOnly', 'processNetworkMessages', 'ttlCeiling', 'zeroExpirationOverride'] },
};

/** The root of a configuration. */
export const ACTIVEMQ_ROOT_ELEMENT = 'broker';

/**
 * What Amazon MQ accepts for a child `name` of an element (`parentName`, whose fact is
 * `parentFact`); undefined when it is not accepted there.
 */
export function activeMqChildFact(parentName: string, parentFact: ActiveMqElementFact, name: string): ActiveMqElementFact | undefined {
  if (!parentFact.children?.includes(name)) return undefined;
  return ACTIVEMQ_ELEMENTS[`${parentName}/${name}`] ?? ACTIVEMQ_ELEMENTS[name];
}

/**
 * The group Amazon MQ gives admin on every destination, and whose users may use the web console
 * (ACTIVEMQ_ELEMENT_SOURCES.users).
 */
export const ACTIVEMQ_WEBCONSOLE_GROUP = 'activemq-webconsole';

/** ActiveMQ's own defaults the typed configuration documents (ACTIVEMQ_ELEMENT_SOURCES.redelivery, .destinationPolicies). */
export const ACTIVEMQ_DEFAULTS = {
  /** individualDeadLetterStrategy queuePrefix. */
  deadLetterQueuePrefix: 'ActiveMQ.DLQ.',
  /** The shared dead-letter queue. */
  sharedDeadLetterQueue: 'ActiveMQ.DLQ',
  /** Expired messages go to the dead-letter queue (processExpired). */
  processExpired: true,
  /** Non-persistent messages are dropped, not dead-lettered (processNonPersistent). */
  processNonPersistent: false,
  /** policyEntry expireMessagesPeriod, ms. */
  expireMessagesPeriodMs: 30_000,
} as const;

/**
 * The redelivery plugin refuses to start the broker when a policy's initialRedeliveryDelay or
 * redeliveryDelay is below this (ms), and without schedulerSupport (ACTIVEMQ_ELEMENT_SOURCES.redeliveryPlugin,
 * `validatePolicyDelay(1000)`; seen on the local 5.17 broker). On Amazon MQ that is a broker that
 * does not come back from its reboot.
 */
export const ACTIVEMQ_MIN_REDELIVERY_DELAY_MS = 1000;

/** Destination names: ActiveMQ wildcards `.`, `*`, `>` allowed; no whitespace, commas or quotes. */
export const ACTIVEMQ_DESTINATION_PATTERN = /^[A-Za-z0-9_.*>$:\-/#]+$/;
/** memoryLimit: bytes, or a size with its unit as ActiveMQ's XBean memory property editor reads it ("10 mb", "1gb"). */
export const ACTIVEMQ_MEMORY_LIMIT_PATTERN = /^\d+\s?(b|kb|mb|gb)?$/i;

export const ACTIVEMQ_ELEMENT_FACT_DATES = {
  ACTIVEMQ_ELEMENTS: '2026-11-30',
  ACTIVEMQ_WEBCONSOLE_GROUP: '2026-11-30',
  ACTIVEMQ_DEFAULTS: '2026-11-30',
  ACTIVEMQ_MIN_REDELIVERY_DELAY_MS: '2026-11-30',
  ACTIVEMQ_DESTINATION_PATTERN: '2026-11-30',
  ACTIVEMQ_MEMORY_LIMIT_PATTERN: '2026-11-30',
} as const;
