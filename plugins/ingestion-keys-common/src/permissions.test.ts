import {
  isCreatePermission,
  isDeletePermission,
  isReadPermission,
  isUpdatePermission,
} from '@backstage/plugin-permission-common';
import {
  ingestionKeyReadPermission,
  ingestionKeyRevealPermission,
} from './permissions';

describe('ingestion key permissions', () => {
  it('keep reveal out of every grant by action, while read is a read', () => {
    const actions = (permission: typeof ingestionKeyReadPermission) =>
      [
        isCreatePermission,
        isReadPermission,
        isUpdatePermission,
        isDeletePermission,
      ]
        .filter(is => is(permission))
        .map(is => is.name);
    expect(actions(ingestionKeyRevealPermission)).toEqual([]);
    expect(actions(ingestionKeyReadPermission)).toEqual(['isReadPermission']);
  });
});
