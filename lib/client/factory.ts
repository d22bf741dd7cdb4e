import { AmqpMessagingClient } from './amqp-client';
import { Engine, MessagingClient, MessagingClientOptions } from './messaging-client';
import { StompMessagingClient } from './stomp-client';

/** The client for an engine: amqplib over TLS for RabbitMQ, STOMP over TLS for ActiveMQ. */
export function createMessagingClient(engine: Engine, options: MessagingClientOptions): MessagingClient {
  return engine === 'RABBITMQ' ? new AmqpMessagingClient(options) : new StompMessagingClient(options);
}
