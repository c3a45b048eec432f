export interface Config {
  permission?: {
    /**
     * Groups (entity refs) whose members may do everything in the demo policy, including the
     * org-wide ingestion-keys page.
     */
    adminGroups?: string[];
  };
}
