import { parseTargetRef } from './deliveryTargets';

describe('parseTargetRef', () => {
  it('splits at the first colon, so that addresses may hold colons', () => {
    expect(parseTargetRef('kubernetes:prod-eu/groundcover')).toEqual({
      kind: 'kubernetes',
      address: 'prod-eu/groundcover',
    });
    expect(parseTargetRef('vault: secret/data/a:b ')).toEqual({
      kind: 'vault',
      address: 'secret/data/a:b',
    });
  });

  it('is undefined when the kind or the address is missing', () => {
    expect(parseTargetRef('kubernetes')).toBeUndefined();
    expect(parseTargetRef(':prod-eu')).toBeUndefined();
    expect(parseTargetRef('kubernetes:  ')).toBeUndefined();
  });
});
