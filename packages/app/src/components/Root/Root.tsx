import { PropsWithChildren } from 'react';
import HomeIcon from '@material-ui/icons/Home';
import GroupIcon from '@material-ui/icons/People';
import VpnKeyIcon from '@material-ui/icons/VpnKey';
import {
  Sidebar,
  SidebarDivider,
  SidebarItem,
  SidebarPage,
  SidebarSpace,
} from '@backstage/core-components';
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
      <SidebarSpace />
      <SidebarDivider />
      <ThemeSwitch />
    </Sidebar>
    {children}
  </SidebarPage>
);
