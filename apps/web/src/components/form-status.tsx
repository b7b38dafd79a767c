/**
 * The form's message region: always in the page, so screen readers announce what appears in it.
 */
export function FormStatus({ error, id }: { error: string | null | undefined; id?: string }) {
  return (
    <div className="form-status" id={id} aria-live="assertive" aria-atomic="true">
      {error ? <p className="form-error">{error}</p> : null}
    </div>
  );
}
