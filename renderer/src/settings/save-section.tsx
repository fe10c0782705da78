// Saving one section of Settings: the section's new value merged into the settings file, the
// screen refreshed with what the engine saved, and a message saying how it went.
import { useState } from 'react';
import type { SettingsView } from '../../../engine/transport/messages.js';
import { errorText, useTransport } from '../api/context.js';

export function useSaveSection(view: SettingsView, onSaved: (v: SettingsView) => void): { save: (section: Record<string, unknown>) => Promise<void>; outcome: React.JSX.Element | null } {
  const transport = useTransport();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | undefined>();
  const save = async (section: Record<string, unknown>): Promise<void> => {
    try {
      onSaved(await transport.call('settings.save', { settings: { ...view.settings, ...section } }));
      setMessage({ ok: true, text: 'Settings saved.' });
    } catch (e) {
      setMessage({ ok: false, text: errorText(e) ?? '' });
    }
  };
  const outcome = message ? (
    <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'message' : 'error'}>
      {message.text}
    </p>
  ) : null;
  return { save, outcome };
}
