import { engineForProtocol, formatEndpoint, parseEndpoint } from '../../lib/client/endpoint';

test('parses endpoints and fills default ports', () => {
  expect(parseEndpoint('amqps://b-1.mq.eu-west-1.amazonaws.com:5671')).toEqual({
    protocol: 'amqps',
    host: 'b-1.mq.eu-west-1.amazonaws.com',
    port: 5671,
  });
  expect(parseEndpoint('stomp+ssl://127.0.0.1')).toEqual({ protocol: 'stomp+ssl', host: '127.0.0.1', port: 61614 });
  expect(parseEndpoint('ssl://[::1]:61617')).toEqual({ protocol: 'ssl', host: '::1', port: 61617 });
  expect(formatEndpoint({ protocol: 'ssl', host: '::1', port: 61617 })).toBe('ssl://[::1]:61617');
});

test('rejects malformed endpoints with a usage error', () => {
  expect(() => parseEndpoint('127.0.0.1:5671')).toThrow(expect.objectContaining({ kind: 'usage' }));
  expect(() => parseEndpoint('foo://host')).toThrow(expect.objectContaining({ kind: 'usage' }));
  expect(() => parseEndpoint('amqps://host:99999')).toThrow(expect.objectContaining({ kind: 'usage' }));
});

test('maps protocols to engines', () => {
  expect(engineForProtocol('amqps')).toBe('RABBITMQ');
  expect(engineForProtocol('stomp+ssl')).toBe('ACTIVEMQ');
  expect(engineForProtocol('ssl')).toBeUndefined();
});
