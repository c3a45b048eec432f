import { screen, waitFor, within } from '@testing-library/react';
import { ingestionKeysAdminPermission } from '@ingestion-keys/plugin-ingestion-keys-common';
import { permissionApiDenying } from '../../__testUtils__/permissions';
import { renderInPluginApp } from '../../__testUtils__/renderInPluginApp';
import { teamKeysApi } from '../../__testUtils__/teamKeysApi';
import { OrgIngestionKeys } from './OrgIngestionKeys';

// Only the non-admin view is tested here: the admin's is in IngestionKeysPage.test.tsx, because
// permission decisions are cached for the lifetime of a test file.
describe('OrgIngestionKeys', () => {
  it("shows a non-admin their teams' keys and provisioning problems, never the organisation's", async () => {
    const api = await teamKeysApi();
    api.declare('component:default/checkout-api', 'production:apm');
    const listKeys = jest.spyOn(api, 'listKeys');
    const getStatus = jest.spyOn(api, 'getProvisioningStatus');
    await renderInPluginApp(<OrgIngestionKeys />, {
      api,
      permissionApi: permissionApiDenying(ingestionKeysAdminPermission),
    });

    const keys = await screen.findByRole('region', {
      name: "My teams' keys",
    });
    await waitFor(() =>
      expect(
        within(keys).getByText('checkout-api-production-sensor'),
      ).toBeInTheDocument(),
    );
    expect(within(keys).queryByText(/orders-db/)).toBeNull();
    const problems = await screen.findByRole('region', {
      name: 'Invalid entries',
    });
    expect(within(problems).getByText('production:apm')).toBeInTheDocument();
    // No switch to the organisation, and nothing asked that is for admins.
    expect(
      screen.queryByRole('tab', { name: 'Whole organisation' }),
    ).toBeNull();
    expect(listKeys).not.toHaveBeenCalledWith(
      expect.not.objectContaining({ entityRef: expect.anything() }),
    );
    expect(getStatus).not.toHaveBeenCalled();
  });
});
