/**
 * A small XML element model for the ActiveMQ broker configuration Amazon MQ takes (the
 * `<broker xmlns="http://activemq.apache.org/schema/core">` document of a configuration revision),
 * and its rendering. Features add elements to the plan's broker configuration (see
 * ConfigurationContribution); every element and attribute is checked against what Amazon MQ
 * accepts (./activemq-elements) before it is rendered.
 * Source: https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/amazon-mq-broker-configuration-parameters.html
 */

/** One XML element: its name as Amazon MQ's schema spells it, attributes, and child elements in order. */
export interface XmlElement {
  /** Element name, for example `authorizationEntry` or `cachedLDAPAuthorizationMap`. */
  readonly name: string;
  /** Attributes in the order given; numbers and booleans are written in decimal / true|false. */
  readonly attributes?: Readonly<Record<string, string | number | boolean>>;
  /** Child elements, in order. */
  readonly children?: readonly XmlElement[];
}

/** The ActiveMQ core namespace of the `<broker>` element. */
export const ACTIVEMQ_CORE_NAMESPACE = 'http://activemq.apache.org/schema/core';

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes an attribute value (`>` too: destination wildcards such as "orders.>" are common). */
export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** `element` as indented XML, one element per line; byte-identical for the same input. */
export function renderXml(element: XmlElement, indent = 0): string {
  const pad = '  '.repeat(indent);
  const attrs = Object.entries(element.attributes ?? {})
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');
  const children = element.children ?? [];
  if (children.length === 0) return `${pad}<${element.name}${attrs}/>\n`;
  return `${pad}<${element.name}${attrs}>\n${children.map((c) => renderXml(c, indent + 1)).join('')}${pad}</${element.name}>\n`;
}
