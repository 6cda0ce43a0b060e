import { ipRangeKey } from './ip-range';

describe('ipRangeKey', () => {
  it.each([
    ['203.0.113.17', '203.0.113.0/24'],
    ['203.0.113.254', '203.0.113.0/24'],
    ['2001:db8:85a3:8d3:1319:8a2e:370:7348', '2001:db8:85a3:8d3::/64'],
    ['2001:db8:85a3:08d3::1', '2001:db8:85a3:8d3::/64'],
    ['2001:DB8::8a2e:370:7334', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['::ffff:198.51.100.7', '198.51.100.0/24'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['[2001:db8:1:2::5]', '2001:db8:1:2::/64'],
  ])('%s → %s', (ip, range) => {
    expect(ipRangeKey(ip)).toBe(range);
  });

  it('puts two addresses of one /64 in the same range and a neighbouring /64 in another', () => {
    expect(ipRangeKey('2a02:8108:1240:5e00:a1b2:c3d4:e5f6:1')).toBe(ipRangeKey('2a02:8108:1240:5e00::dead:beef'));
    expect(ipRangeKey('2a02:8108:1240:5e01::1')).not.toBe(ipRangeKey('2a02:8108:1240:5e00::1'));
  });

  it.each([null, '', 'unknown', '999.1.1.1', '10.0.0'])('ignores %p', (ip) => {
    expect(ipRangeKey(ip)).toBeUndefined();
  });
});
