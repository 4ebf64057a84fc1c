import { ShieldIcon } from '@blueprintjs/icons';
import { PendingView } from '../../components/PendingView';

const PostureView = () => (
  <PendingView
    icon={<ShieldIcon size={48} />}
    title="Posture"
    arrivesWith="posture checks"
    purpose="Evaluate each control from live evidence and see how it maps to SOC 2, ISO 27001 and GDPR."
  />
);

export default PostureView;
