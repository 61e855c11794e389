/**
 * A multi-line text field whose own <textarea> carries the accessible name (antd-mobile's TextArea puts
 * aria-* on its wrapper, leaving the field itself unnamed for screen readers).
 */
export function TextBox(props: {
  'aria-label': string;
  value: string;
  onChange: (value: string) => void;
  rows?: number;
  maxLength?: number;
  placeholder?: string;
  showCount?: boolean;
}) {
  return (
    <div className="m-textbox">
      <textarea
        aria-label={props['aria-label']}
        value={props.value}
        rows={props.rows ?? 3}
        maxLength={props.maxLength}
        placeholder={props.placeholder}
        onChange={(event) => props.onChange(event.target.value)}
      />
      {props.showCount && props.maxLength && (
        <div className="m-textbox-count" aria-hidden="true">
          {props.value.length}/{props.maxLength}
        </div>
      )}
    </div>
  );
}
