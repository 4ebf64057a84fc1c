import { Button, NonIdealState } from '@blueprintjs/core';
import { ErrorIcon } from '@blueprintjs/icons';
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  children: ReactNode;
}

interface State {
  error: Error | null;
}

/** A view that fails to load or render takes down only itself, not the shell around it. */
export class ViewErrorBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('attest: a view failed', error, info.componentStack);
  }

  override render(): ReactNode {
    if (!this.state.error) return this.props.children;
    return (
      <NonIdealState
        icon={<ErrorIcon size={48} />}
        title="This view failed to open"
        description={`${this.state.error.message} Reload the console; if it keeps happening, report this message.`}
        action={<Button text="Reload" onClick={() => window.location.reload()} />}
      />
    );
  }
}
