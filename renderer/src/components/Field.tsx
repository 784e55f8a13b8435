// A labelled form control with its error beside it, wired for screen readers.
import { useId, type ReactNode } from 'react';
import { knownApiMessage } from '../i18n/api-messages';
import { useT } from '../i18n/LanguageProvider';

export function Field({
  label,
  error,
  hint,
  children,
}: {
  label: string;
  error?: string;
  hint?: ReactNode;
  children: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ReactNode;
}) {
  const translator = useT();
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': Boolean(error), 'aria-describedby': describedBy })}
      {hint && (
        <div className="hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
      {error && (
        <div className="error" id={`${id}-error`} role="alert">
          {/* The shared schemas word some refusals themselves, in the contract's English. */}
          {knownApiMessage(translator, error) ?? error}
        </div>
      )}
    </div>
  );
}
