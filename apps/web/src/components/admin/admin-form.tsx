import type { FormEvent, ReactNode } from 'react';
import { useTeams } from '../../queries/use-teams.ts';
import { ErrorLine } from '../forms/error-line.tsx';

/**
 * The form of an admin list (a goal, an event): heading and accessible name "New x" or "Edit x",
 * the fields, "Add x" / "Save x", "Cancel" while editing, and the API's refusal (a 400 names the
 * field) under it.
 */
export function AdminForm({
  noun,
  editing,
  pending,
  error,
  onSubmit,
  onCancel,
  children,
}: {
  /** what the form writes, lower case: "goal", "event" */
  noun: string;
  editing: boolean;
  pending: boolean;
  error: Error | null;
  onSubmit: () => void;
  onCancel: () => void;
  children: ReactNode;
}) {
  const title = editing ? `Edit ${noun}` : `New ${noun}`;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <form className="admin-form" onSubmit={submit} aria-label={title}>
      <h3>{title}</h3>
      {children}
      <button type="submit" disabled={pending}>
        {editing ? `Save ${noun}` : `Add ${noun}`}
      </button>
      {editing && (
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      )}
      <ErrorLine error={error} testId="admin-error" />
    </form>
  );
}

/** A labelled `<select>` of an admin form; `value` is one of `options`' values. */
export function SelectField<V extends string>({
  label,
  name,
  value,
  options,
  onChange,
}: {
  label: string;
  name: string;
  value: V;
  options: readonly { value: V; label: string }[];
  onChange: (value: V) => void;
}) {
  return (
    <label>
      {label}{' '}
      <select
        name={name}
        value={value}
        onChange={(e) => {
          const chosen = options.find((o) => o.value === e.target.value);
          if (chosen) onChange(chosen.value);
        }}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A labelled `<input>` of an admin form (text, or `type="date"`: `YYYY-MM-DD`). */
export function InputField({
  label,
  name,
  value,
  onChange,
  type,
  required,
  placeholder,
  maxLength,
}: {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  type?: 'date';
  required?: boolean;
  placeholder?: string;
  maxLength?: number;
}) {
  return (
    <label>
      {label}{' '}
      <input
        name={name}
        type={type}
        value={value}
        placeholder={placeholder}
        maxLength={maxLength}
        required={required}
        onChange={(e) => onChange(e.target.value)}
      />
    </label>
  );
}

/** "Team": the organisation (`''`) or one of the configured teams, by slug. */
export function TeamSelect({ value, onChange }: { value: string; onChange: (slug: string) => void }) {
  const teams = useTeams();
  const options = [
    { value: '', label: 'Organisation' },
    ...(teams.data?.teams ?? []).map((t) => ({ value: t.slug, label: t.name })),
  ];
  return <SelectField label="Team" name="team" value={value} options={options} onChange={onChange} />;
}
