import { StompFrameParser, encodeFrame } from '../../lib/client/stomp-frame';

describe('STOMP frames', () => {
  test('encodes SEND with escaped headers and content-length', () => {
    const buf = encodeFrame('SEND', { destination: '/queue/a', 'x:key': 'line1\nline2\\' }, 'hi');
    expect(buf.toString('utf8')).toBe('SEND\ndestination:/queue/a\nx\\ckey:line1\\nline2\\\\\ncontent-length:2\n\nhi\0');
  });

  test('does not escape CONNECT headers', () => {
    const buf = encodeFrame('CONNECT', { 'accept-version': '1.2', passcode: 'a:b' });
    expect(buf.toString('utf8')).toBe('CONNECT\naccept-version:1.2\npasscode:a:b\n\n\0');
  });

  test('round-trips a body with NUL bytes via content-length', () => {
    const body = Buffer.from([1, 0, 2, 0]);
    const frames = new StompFrameParser().push(encodeFrame('SEND', { destination: '/queue/x' }, body));
    expect(frames).toHaveLength(1);
    expect(frames[0].body.equals(body)).toBe(true);
  });

  test('parses frames split across chunks, skips heart-beat EOLs, handles CRLF', () => {
    const p = new StompFrameParser();
    const wire = Buffer.from(
      '\n\r\nMESSAGE\r\nsubscription:sub-1\r\nmessage-id:m\\c1\r\nmessage-id:ignored\r\n\r\nbody\0\nRECEIPT\nreceipt-id:r-1\n\n\0',
    );
    const frames = [];
    for (let i = 0; i < wire.length; i += 3) frames.push(...p.push(wire.subarray(i, i + 3)));
    expect(frames.map((f) => f.command)).toEqual(['MESSAGE', 'RECEIPT']);
    expect(frames[0].headers['message-id']).toBe('m:1');
    expect(frames[0].body.toString()).toBe('body');
    expect(frames[1].headers['receipt-id']).toBe('r-1');
  });

  test('waits for the full body when content-length is larger than what arrived', () => {
    const p = new StompFrameParser();
    expect(p.push(Buffer.from('MESSAGE\ncontent-length:5\n\nab'))).toEqual([]);
    const frames = p.push(Buffer.from('cde\0'));
    expect(frames[0].body.toString()).toBe('abcde');
  });

  test('rejects a frame whose content-length does not end in NUL', () => {
    expect(() => new StompFrameParser().push(Buffer.from('MESSAGE\ncontent-length:1\n\nab\0'))).toThrow(/NUL/);
  });
});
