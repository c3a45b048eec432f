import { screen } from '@testing-library/react';
import { ingestionKeysAdminPermission } from '@ingestion-keys/plugin-ingestion-keys-common';
import { InMemoryIngestionKeysApi } from '../../__testUtils__/InMemoryIngestionKeysApi';
import { permissionApiDenying } from '../../__testUtils__/permissions';
import { renderInPluginApp } from '../../__testUtils__/renderInPluginApp';
import { OrgIngestionKeys } from './OrgIngestionKeys';

// Only the refusal is tested here: the allowed case is in IngestionKeysPage.test.tsx, because
// permission decisions are cached for the lifetime of a test file.
describe('OrgIngestionKeys', () => {
  it('tells non-admins they are not allowed, without asking for the keys or the provisioning status', async () => {
    const api = new InMemoryIngestionKeysApi();
    const listKeys = jest.spyOn(api, 'listKeys');
    const getStatus = jest.spyOn(api, 'getProvisioningStatus');
    await renderInPluginApp(<OrgIngestionKeys />, {
      api,
      permissionApi: permissionApiDenying(ingestionKeysAdminPermission),
    });
    expect(
      await screen.findByText(
        'Warning: You are not allowed to see every ingestion key',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Only ingestion-keys administrators can list the keys/),
    ).toBeInTheDocument();
    expect(listKeys).not.toHaveBeenCalled();
    expect(getStatus).not.toHaveBeenCalled();
    expect(screen.queryByRole('region', { name: 'Provisioning' })).toBeNull();
  });
});
