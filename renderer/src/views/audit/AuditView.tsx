import { HistoryIcon } from '@blueprintjs/icons';
import { PendingView } from '../../components/PendingView';

const AuditView = () => (
  <PendingView
    icon={<HistoryIcon size={48} />}
    title="Audit"
    arrivesWith="the tamper-evident audit log"
    purpose="Browse the append-only audit trail and verify it against signed tree heads with inclusion and consistency proofs."
  />
);

export default AuditView;
