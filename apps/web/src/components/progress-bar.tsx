/** A labelled progress bar that assistive technology reads as one (role, value and text). */
export function ProgressBar({ label, value, valueText }: { label: string; value: number; valueText?: string }) {
  return (
    <div className="progress">
      <div className="progress-label">
        <span>{label}</span>
        <span className="progress-value">{valueText ?? `${value}%`}</span>
      </div>
      <div
        className="progress-track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={value}
        aria-valuetext={valueText ? `${value}%, ${valueText}` : `${value}%`}
      >
        <div className="progress-fill" style={{ width: `${value}%` }} />
      </div>
    </div>
  );
}
