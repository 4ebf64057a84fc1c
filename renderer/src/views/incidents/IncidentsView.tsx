import { FlameIcon } from '@blueprintjs/icons';
import { PendingView } from '../../components/PendingView';

const IncidentsView = () => (
  <PendingView
    icon={<FlameIcon size={48} />}
    title="Incidents"
    arrivesWith="incident response"
    purpose="Run incidents from detection to post-incident review, with the notification deadlines policy sets for each severity."
  />
);

export default IncidentsView;
