import { Content, Header, Page } from '@backstage/core-components';
import { OrgIngestionKeys } from '../OrgIngestionKeys/OrgIngestionKeys';

/** The org-wide page of the legacy frontend system, with its own header. */
export const IngestionKeysPage = () => (
  <Page themeId="tool">
    <Header
      title="Ingestion Keys"
      subtitle="The keys of your teams’ entities; administrators also see the whole organisation"
    />
    <Content>
      <OrgIngestionKeys />
    </Content>
  </Page>
);
