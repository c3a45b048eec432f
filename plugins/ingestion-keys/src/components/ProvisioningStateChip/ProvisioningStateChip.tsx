import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import ErrorIcon from '@material-ui/icons/Error';
import ScheduleIcon from '@material-ui/icons/Schedule';
import WarningIcon from '@material-ui/icons/Warning';
import { ProvisionedKeyState } from '@ingestion-keys/plugin-ingestion-keys-common';

/** The states of a declared entry, plus `invalid` for an entry that cannot be understood. */
export type DeclaredEntryState = ProvisionedKeyState | 'invalid';

const LABELS: Record<DeclaredEntryState, string> = {
  provisioned: 'Provisioned',
  pending: 'Pending',
  failed: 'Failed',
  invalid: 'Invalid',
};

const useStyles = makeStyles(theme => ({
  problem: {
    color: theme.palette.error.main,
    borderColor: theme.palette.error.main,
    '& $icon': { color: theme.palette.error.main },
  },
  icon: {},
}));

/** Where a declared key stands; the icon repeats the state for those who do not see colours. */
export const ProvisioningStateChip = (props: { state: DeclaredEntryState }) => {
  const classes = useStyles();
  const { state } = props;
  const iconProps = { className: classes.icon, 'aria-hidden': true } as const;
  const icons: Record<DeclaredEntryState, JSX.Element> = {
    provisioned: <CheckCircleIcon {...iconProps} />,
    pending: <ScheduleIcon {...iconProps} />,
    failed: <ErrorIcon {...iconProps} />,
    invalid: <WarningIcon {...iconProps} />,
  };
  const problem = state === 'failed' || state === 'invalid';
  return (
    <Chip
      size="small"
      icon={icons[state]}
      label={LABELS[state]}
      color={state === 'provisioned' ? 'primary' : 'default'}
      variant={state === 'provisioned' ? 'default' : 'outlined'}
      className={problem ? classes.problem : undefined}
    />
  );
};
