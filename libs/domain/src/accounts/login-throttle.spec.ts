import { clientNetwork } from './login-throttle.service';

describe('clientNetwork', () => {
  it('counts an IPv4 address alone, whether written plainly or mapped into IPv6', () => {
    expect(clientNetwork('203.0.113.7')).toBe('203.0.113.7');
    expect(clientNetwork('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientNetwork('::FFFF:203.0.113.7')).toBe('203.0.113.7');
  });

  it('counts an IPv6 address by its /64, however it is written', () => {
    const net = '2001:db8:a:b::/64';
    expect(clientNetwork('2001:db8:a:b:1:2:3:4')).toBe(net);
    expect(clientNetwork('2001:0db8:000a:000b:ffff::1')).toBe(net);
    expect(clientNetwork('2001:DB8:A:B::')).toBe(net);
    expect(clientNetwork('2001:db8:a:b::9%eth0')).toBe(net);
    expect(clientNetwork('2001:db8:a:c::1')).not.toBe(net);
    expect(clientNetwork('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientNetwork('::1')).toBe('0:0:0:0::/64');
  });
});
