import type { RabbitMqConfEntry } from '../amazonmq/rabbitmq-conf';
import type { XmlElement } from '../amazonmq/activemq-xml';
import type { Engine } from '../amazonmq/engines';

/**
 * A broker's Amazon MQ configuration (AWS::AmazonMQ::Configuration, associated with the broker by
 * revision) as the plan holds it: the broker's own `configuration` field resolved, plus what other
 * features contribute. Features extend it WITHOUT editing this file: they return a
 * ConfigurationContribution from their own function and add that call to the list in
 * resolveBroker (lib/config/resolve.ts, `configuration: resolveBrokerConfiguration(broker, [...])`).
 * The configuration rules (lib/config/rules/configuration-rules.ts) check every entry and element,
 * contributed ones included, against what Amazon MQ accepts.
 */
export interface ConfigurationContribution {
  /** The broker's config field the contribution comes from, for example "authentication"; synth errors name `brokers[i].<field>`. */
  readonly field: string;
  /** RabbitMQ: rabbitmq.conf entries, appended in order after the broker's own. A key set twice is a synth error. */
  readonly rabbitMqConf?: readonly RabbitMqConfEntry[];
  /** ActiveMQ: elements appended inside `<plugins>`, after the platform's own plugins. */
  readonly activeMqPlugins?: readonly XmlElement[];
  /**
   * ActiveMQ: the authorization map, the one element inside `<authorizationPlugin><map>` (for
   * example `cachedLDAPAuthorizationMap` for LDAP brokers). Exclusive with the broker's own
   * `configuration.activemq.authorization` and with another contribution's map: a synth error.
   */
  readonly activeMqAuthorizationMap?: XmlElement;
}

/** ActiveMQ parts of the configuration, merged: the plan's view of the `<broker>` document. */
export interface ActiveMqConfigurationModel {
  /** `<destinationPolicy>` (destination policies, dead-letter strategies), if any. */
  readonly destinationPolicy?: XmlElement;
  /** Children of `<plugins>` other than the authorization plugin, in order: the platform's (redeliveryPlugin), then contributed. */
  readonly plugins: readonly XmlElement[];
  /** The element inside `<authorizationPlugin><map>`: the platform's `authorizationMap` or a contributed one. */
  readonly authorizationMap?: XmlElement;
}

/** A broker's configuration in the plan. */
export interface BrokerConfigurationModel {
  readonly engine: Engine;
  /** RabbitMQ: rabbitmq.conf entries in order, the broker's own then each contribution's (empty for ActiveMQ). */
  readonly rabbitMqConf: readonly RabbitMqConfEntry[];
  /** ActiveMQ only. */
  readonly activeMq?: ActiveMqConfigurationModel;
  /** The contributions as given, so that rules can name the field a bad entry came from. */
  readonly contributions: readonly ConfigurationContribution[];
}

/** What resolveBrokerConfiguration needs from the broker's own configuration (built by the engine modules). */
export interface OwnConfiguration {
  readonly rabbitMqConf: readonly RabbitMqConfEntry[];
  readonly activeMq?: Omit<ActiveMqConfigurationModel, 'plugins'> & { readonly plugins?: readonly XmlElement[] };
}

/**
 * Merges the broker's own configuration with the contributions (undefined entries skipped);
 * undefined when there is nothing to configure, so a broker without configuration gets no
 * Configuration resource and its template does not change.
 */
export function mergeBrokerConfiguration(
  engine: Engine,
  own: OwnConfiguration,
  contributions: ReadonlyArray<ConfigurationContribution | undefined>,
): BrokerConfigurationModel | undefined {
  const given = contributions.filter((c): c is ConfigurationContribution => c !== undefined);
  const rabbitMqConf = engine === 'RABBITMQ' ? [...own.rabbitMqConf, ...given.flatMap((c) => c.rabbitMqConf ?? [])] : [];
  let activeMq: ActiveMqConfigurationModel | undefined;
  if (engine === 'ACTIVEMQ') {
    const plugins = [...(own.activeMq?.plugins ?? []), ...given.flatMap((c) => c.activeMqPlugins ?? [])];
    // The first map wins here; the configuration rules report a second one as an error.
    const authorizationMap = own.activeMq?.authorizationMap ?? given.find((c) => c.activeMqAuthorizationMap)?.activeMqAuthorizationMap;
    const destinationPolicy = own.activeMq?.destinationPolicy;
    if (plugins.length > 0 || authorizationMap || destinationPolicy) {
      activeMq = {
        ...(destinationPolicy ? { destinationPolicy } : {}),
        plugins,
        ...(authorizationMap ? { authorizationMap } : {}),
      };
    }
  }
  if (rabbitMqConf.length === 0 && !activeMq) return undefined;
  return { engine, rabbitMqConf, ...(activeMq ? { activeMq } : {}), contributions: given };
}

/**
 * The plan's configuration of a broker: its own `configuration` field, then the contributions in
 * the order given. Called once, in resolveBroker.
 */
export function resolveBrokerConfiguration(
  broker: { readonly engine: Engine },
  contributions: ReadonlyArray<ConfigurationContribution | undefined>,
): BrokerConfigurationModel | undefined {
  return mergeBrokerConfiguration(broker.engine, { rabbitMqConf: [] }, contributions);
}
