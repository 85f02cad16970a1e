// A number the user types freely: the text is the user's while the field has focus (a lone minus,
// an emptied field, a half-typed exponent stay as typed), and is applied on Enter or when the
// field loses focus, never halfway (typing 500 into a window's low end must not apply 5 and 50 on
// the way). Escape puts back the value shown before the edit. Text that is not a number, or a
// value the owner refuses, is marked (aria-invalid, red outline, the reason as a tooltip), never
// replaced.
import { useState, type KeyboardEvent } from 'react';

/** The number in a field's text, or null: empty, a lone sign, trailing junk and non-finite values are not numbers. */
export function parseNumber(text: string): number | null {
  const t = text.trim().replace(/^−/, '-');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : null;
}

export function NumberField({
  value,
  onCommit,
  label,
  title,
  testId,
}: {
  value: number;
  /** Applies a typed value; returns why it is refused (shown on the field), or null when applied. */
  onCommit: (v: number) => string | null;
  label: string;
  title?: string;
  testId?: string;
}) {
  const shown = String(+value.toPrecision(6));
  /** The text being edited; null when the field shows the value. */
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const commit = () => {
    if (draft === null) return;
    const v = parseNumber(draft);
    if (v === null) {
      setError(`"${draft}" is not a number`);
      return;
    }
    const refused = onCommit(v);
    setError(refused);
    if (!refused) setDraft(null);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') commit();
    else if (e.key === 'Escape') {
      // Back to the value shown; the Escape stays with the field.
      e.stopPropagation();
      setDraft(null);
      setError(null);
    }
  };
  const text = draft ?? shown;
  const invalid = error !== null || (draft !== null && parseNumber(draft) === null);
  return (
    <input
      type="text"
      inputMode="decimal"
      spellCheck={false}
      aria-label={label}
      aria-invalid={invalid}
      className={invalid ? 'invalid' : undefined}
      title={error ?? title}
      data-testid={testId}
      value={text}
      onChange={(e) => {
        setDraft(e.target.value);
        setError(null);
      }}
      onKeyDown={onKeyDown}
      onBlur={commit}
    />
  );
}
