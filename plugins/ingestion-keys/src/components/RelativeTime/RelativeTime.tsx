import Tooltip from '@material-ui/core/Tooltip';
import { formatRelativeTime } from './formatRelativeTime';

/** A time shown relative to now, with the exact local time on hover. */
export const RelativeTime = (props: { value: string }) => {
  const date = new Date(props.value);
  return (
    <Tooltip title={date.toLocaleString()}>
      <time dateTime={props.value}>{formatRelativeTime(date)}</time>
    </Tooltip>
  );
};
