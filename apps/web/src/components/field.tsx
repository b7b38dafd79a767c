import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import { fieldMessage } from '../lib/errors';

type Common = {
  label: string;
  /** Shown after the label; the field may be left empty. */
  optional?: boolean;
  hint?: ReactNode;
  /** The server's messages for this field. */
  errors?: string[] | undefined;
};

/** Ids and aria wiring shared by every kind of field: a visible label, a hint and errors under it. */
function useFieldIds(id: string | undefined, hint: ReactNode, errors: string[] | undefined) {
  const generated = useId();
  const fieldId = id ?? generated;
  const hintId = hint ? `${fieldId}-hint` : undefined;
  const errorId = errors?.length ? `${fieldId}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return { fieldId, hintId, errorId, describedBy, invalid: errors?.length ? true : undefined };
}

function FieldFrame(props: Common & { fieldId: string; hintId?: string; errorId?: string; children: ReactNode }) {
  const { label, optional, hint, errors, fieldId, hintId, errorId, children } = props;
  return (
    <div className="field">
      <label htmlFor={fieldId}>
        {label}
        {optional ? <span className="optional"> (optional)</span> : null}
      </label>
      {hint ? (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {children}
      {errors?.length ? (
        <p className="field-error" id={errorId}>
          {errors.map((message) => fieldMessage(label, message)).join(' ')}
        </p>
      ) : null}
    </div>
  );
}

export function TextField({ label, optional, hint, errors, id, ...input }: Common & InputHTMLAttributes<HTMLInputElement>) {
  const ids = useFieldIds(id, hint, errors);
  return (
    <FieldFrame {...{ label, optional, hint, errors }} {...ids}>
      <input id={ids.fieldId} aria-describedby={ids.describedBy} aria-invalid={ids.invalid} {...input} />
    </FieldFrame>
  );
}

export function TextAreaField({ label, optional, hint, errors, id, ...textarea }: Common & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const ids = useFieldIds(id, hint, errors);
  return (
    <FieldFrame {...{ label, optional, hint, errors }} {...ids}>
      <textarea id={ids.fieldId} aria-describedby={ids.describedBy} aria-invalid={ids.invalid} {...textarea} />
    </FieldFrame>
  );
}

export function SelectField({ label, optional, hint, errors, id, children, ...select }: Common & SelectHTMLAttributes<HTMLSelectElement>) {
  const ids = useFieldIds(id, hint, errors);
  return (
    <FieldFrame {...{ label, optional, hint, errors }} {...ids}>
      <select id={ids.fieldId} aria-describedby={ids.describedBy} aria-invalid={ids.invalid} {...select}>
        {children}
      </select>
    </FieldFrame>
  );
}
