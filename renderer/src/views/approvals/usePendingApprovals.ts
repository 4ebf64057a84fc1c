import { useEffect, useState } from 'react';
import { pendingForMe } from './approvalsModel';
import { useApprovalsStore } from './approvalsStore';

const REFRESH_MS = 60_000;

/** How many requests wait for my decision, kept fresh while the navigation shows it (a minute at most behind). */
export const usePendingApprovals = (): number => {
  const list = useApprovalsStore((s) => s.list);
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    if (useApprovalsStore.getState().list.status === 'idle') void useApprovalsStore.getState().load();
    const timer = setInterval(() => {
      setNow(new Date());
      void useApprovalsStore.getState().load();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  return 'value' in list && list.value ? pendingForMe(list.value, now) : 0;
};
