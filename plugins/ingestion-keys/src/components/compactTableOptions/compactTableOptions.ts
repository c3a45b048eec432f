import { TableOptions } from '@backstage/core-components';

/**
 * The options the plugin's tables share: dense rows, no search box, and pages only once there
 * is more than one.
 */
export function compactTableOptions(
  rowCount: number,
  pageSize: number,
): TableOptions {
  return {
    search: false,
    // Reorderable headers would nest a second button in each sortable header.
    draggable: false,
    padding: 'dense',
    paging: rowCount > pageSize,
    pageSize,
  };
}
