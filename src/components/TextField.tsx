import { InputGroup } from '@jupyterlab/ui-components';
import * as React from 'react';

/** A labelled one-line text input for names and ARNs (monospace, no spell checking). */
export function TextField(props: {
  label: string;
  hint?: string;
  placeholder: string;
  value: string | null;
  onChange: (value: string) => void;
}): JSX.Element {
  return (
    <label className="jp-NbJobIam-field">
      <span className="jp-NbJobIam-label">
        {props.label}
        {props.hint && <span className="jp-NbJobIam-muted"> {props.hint}</span>}
      </span>
      <InputGroup
        type="text"
        className="jp-NbJobIam-mono"
        aria-label={props.label}
        spellCheck={false}
        autoComplete="off"
        placeholder={props.placeholder}
        value={props.value ?? ''}
        onChange={event => props.onChange(event.target.value)}
      />
    </label>
  );
}
