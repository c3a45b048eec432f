import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import CloudDownloadIcon from '@material-ui/icons/CloudDownload';
import ErrorIcon from '@material-ui/icons/Error';
import ScheduleIcon from '@material-ui/icons/Schedule';
import { DeliveryState } from '../DeliveryTargetsChip/deliverySummary';

/**
 * The icon of a delivery state. Decorative (hidden from screen readers): it always stands beside
 * words that say the same.
 */
export const DeliveryOutcomeIcon = (props: {
  state: DeliveryState;
  fontSize?: 'small' | 'inherit';
}) => {
  const fontSize = props.fontSize ?? 'small';
  switch (props.state) {
    case 'failed':
      return <ErrorIcon fontSize={fontSize} color="error" />;
    case 'delivered':
      return <CheckCircleIcon fontSize={fontSize} color="primary" />;
    case 'fetched':
      return <CloudDownloadIcon fontSize={fontSize} color="primary" />;
    default:
      return <ScheduleIcon fontSize={fontSize} color="action" />;
  }
};
