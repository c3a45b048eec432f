import { Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { ProvisioningProblem } from '@ingestion-keys/plugin-ingestion-keys-common';
import { compactTableOptions } from '../compactTableOptions/compactTableOptions';

const PAGE_SIZE = 10;

const columns: TableColumn<ProvisioningProblem>[] = [
  {
    title: 'Entity',
    field: 'entityRef',
    render: problem => <EntityRefLink entityRef={problem.entityRef} />,
  },
  {
    title: 'Entry',
    field: 'entry',
    render: problem => <code>{problem.entry}</code>,
  },
  { title: 'Reason', field: 'reason' },
];

/** Entries of a provisioning run that failed, or that could not be understood. */
export const ProvisioningProblemsTable = (props: {
  title: string;
  subtitle: string;
  problems: ProvisioningProblem[];
}) => (
  <section aria-label={props.title}>
    <Table<ProvisioningProblem>
      title={props.title}
      subtitle={props.subtitle}
      data={props.problems}
      columns={columns}
      options={{
        ...compactTableOptions(props.problems.length, PAGE_SIZE),
        thirdSortClick: false,
      }}
    />
  </section>
);
