import { PropsWithChildren } from 'react';
import HomeIcon from '@material-ui/icons/Home';
import GroupIcon from '@material-ui/icons/People';
import VpnKeyIcon from '@material-ui/icons/VpnKey';
import CreateComponentIcon from '@material-ui/icons/AddCircleOutline';
import {
  Sidebar,
  SidebarDivider,
  SidebarItem,
  SidebarPage,
  SidebarSpace,
} from '@backstage/core-components';
import { NotificationsSidebarItem } from '@backstage/plugin-notifications';
import { ThemeSwitch } from './ThemeSwitch';

export const Root = ({ children }: PropsWithChildren<{}>) => (
  <SidebarPage>
    <Sidebar>
      <SidebarDivider />
      <SidebarItem icon={HomeIcon} to="catalog" text="Catalog" />
      <SidebarItem
        icon={GroupIcon}
        to="catalog?filters[kind]=group"
        text="Teams"
      />
      <SidebarItem
        icon={VpnKeyIcon}
        to="ingestion-keys"
        text="Ingestion Keys"
      />
      <SidebarItem icon={CreateComponentIcon} to="create" text="Create..." />
      <SidebarSpace />
      <SidebarDivider />
      <NotificationsSidebarItem />
      <ThemeSwitch />
    </Sidebar>
    {children}
  </SidebarPage>
);
