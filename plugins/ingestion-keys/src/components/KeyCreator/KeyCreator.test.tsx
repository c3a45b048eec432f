import { screen } from '@testing-library/react';
import { PROVISIONER } from '@ingestion-keys/plugin-ingestion-keys-common';
import { renderInPluginApp } from '../../__testUtils__/renderInPluginApp';
import { KeyCreator } from './KeyCreator';

describe('KeyCreator', () => {
  it('names a provisioned key’s owner, linked, instead of the provisioner', async () => {
    await renderInPluginApp(
      <KeyCreator
        ingestionKey={{
          createdBy: PROVISIONER,
          ownerRef: 'group:default/team-checkout',
        }}
      />,
    );
    expect(screen.getByText(/provisioned for/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'team-checkout' })).toHaveAttribute(
      'href',
      '/catalog/default/group/team-checkout',
    );
    expect(screen.queryByText('provisioner')).toBeNull();
  });

  it('says provisioned when the owner was not known', async () => {
    await renderInPluginApp(
      <KeyCreator ingestionKey={{ createdBy: PROVISIONER }} />,
    );
    expect(screen.getByText('provisioned')).toBeInTheDocument();
  });

  it('links the person who made any other key', async () => {
    await renderInPluginApp(
      <KeyCreator ingestionKey={{ createdBy: 'user:default/alice' }} />,
    );
    expect(screen.getByRole('link', { name: 'alice' })).toHaveAttribute(
      'href',
      '/catalog/default/user/alice',
    );
  });
});
