import { PeopleIcon } from '@blueprintjs/icons';
import { PendingView } from '../../components/PendingView';

const UsersView = () => (
  <PendingView
    icon={<PeopleIcon size={48} />}
    title="Users"
    arrivesWith="identity and sign-in"
    purpose="Review operators and tenant members, their roles, MFA state and access reviews, and act on them."
  />
);

export default UsersView;
