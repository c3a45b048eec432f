import Brightness4Icon from '@material-ui/icons/Brightness4';
import { SidebarItem } from '@backstage/core-components';
import { appThemeApiRef, useApi } from '@backstage/core-plugin-api';
import { useEffect, useState } from 'react';

/**
 * Switches between Backstage's light and dark themes. The app theme API keeps the choice in the
 * browser, so it survives a reload; without one, the system preference decides.
 */
export const ThemeSwitch = () => {
  const themeApi = useApi(appThemeApiRef);
  const [active, setActive] = useState(themeApi.getActiveThemeId());
  useEffect(() => {
    const subscription = themeApi.activeThemeId$().subscribe(setActive);
    return () => subscription.unsubscribe();
  }, [themeApi]);
  const dark =
    active === 'dark' ||
    (active === undefined &&
      window.matchMedia?.('(prefers-color-scheme: dark)').matches);
  return (
    <SidebarItem
      icon={Brightness4Icon}
      text={dark ? 'Light theme' : 'Dark theme'}
      onClick={() => themeApi.setActiveThemeId(dark ? 'light' : 'dark')}
    />
  );
};
