// The automation's declared inputs: name, type, default; add and remove.
const TYPES = ['string', 'number', 'boolean', 'file', 'list'];

type Input = Record<string, unknown>;

function text(value: unknown): string {
  return value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
}

export function InputsEditor({ inputs, onChange }: { inputs: Input[]; onChange: (inputs: Input[]) => void }): React.JSX.Element {
  const set = (i: number, patch: Input): void => onChange(inputs.map((input, j) => (j === i ? { ...input, ...patch } : input)));
  return (
    <section className="inputs" aria-label="Inputs">
      <h3>Inputs</h3>
      {inputs.map((input, i) => (
        <div key={i} className="row tight input-row">
          <input aria-label={`Input ${i + 1} name`} value={text(input.name)} onChange={(e) => set(i, { name: e.target.value })} />
          <select aria-label={`Input ${i + 1} type`} value={text(input.type ?? 'string')} onChange={(e) => set(i, { type: e.target.value })}>
            {TYPES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
          <input aria-label={`Input ${i + 1} default`} placeholder="default" value={text(input.default)} onChange={(e) => set(i, { default: e.target.value })} />
          <button type="button" aria-label={`Remove input ${i + 1}`} onClick={() => onChange(inputs.filter((_, j) => j !== i))}>
            ✕
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...inputs, { name: `input${inputs.length + 1}`, type: 'string' }])}>
        Add input
      </button>
    </section>
  );
}
