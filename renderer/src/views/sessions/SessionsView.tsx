import { KeyIcon } from '@blueprintjs/icons';
import { PendingView } from '../../components/PendingView';

const SessionsView = () => (
  <PendingView
    icon={<KeyIcon size={48} />}
    title="Sessions"
    arrivesWith="session management"
    purpose="See active sessions by user, device and IP against their idle and absolute limits, and revoke one, all of a user’s or all of a tenant’s."
  />
);

export default SessionsView;
