// A list of short texts (skills, competencies, goals): type and press Enter or comma to add; remove with its button.
import { useId, useState } from 'react';
import { useT } from '../i18n/LanguageProvider';

export function TagInput({
  label,
  value,
  onChange,
  suggestions = [],
  placeholder,
}: {
  label: string;
  value: string[];
  onChange(next: string[]): void;
  suggestions?: string[];
  placeholder?: string;
}) {
  const { t } = useT();
  const id = useId();
  const [text, setText] = useState('');
  const add = (raw: string) => {
    const tag = raw.trim();
    if (tag && !value.includes(tag)) onChange([...value, tag]);
    setText('');
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <ul className="tags" aria-label={t('tags.chosen', { label })}>
        {value.map((tag) => (
          <li key={tag} className="tag">
            {tag}
            <button type="button" className="tag-remove" aria-label={t('tags.remove', { tag })} onClick={() => onChange(value.filter((t) => t !== tag))}>
              ×
            </button>
          </li>
        ))}
      </ul>
      <input
        id={id}
        list={suggestions.length ? `${id}-list` : undefined}
        value={text}
        placeholder={placeholder ?? t('tags.placeholder')}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === ',') {
            e.preventDefault();
            add(text);
          } else if (e.key === 'Backspace' && text === '' && value.length > 0) {
            onChange(value.slice(0, -1));
          }
        }}
        onBlur={() => text && add(text)}
      />
      {suggestions.length > 0 && (
        <datalist id={`${id}-list`}>
          {suggestions.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      )}
    </div>
  );
}
