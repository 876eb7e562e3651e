// A conversation as a Markdown file: readable anywhere, message text kept byte for byte (code included).
import type { StoredMessage } from '../../src-shared/schemas/stored-conversation';

const statusNotes: Partial<Record<StoredMessage['status'], string>> = {
  interrupted: '_The answer was interrupted here._',
  cut: '_The answer was cut off at the output token limit._',
  streaming: '_The answer was still arriving when this was exported._',
};

function provenanceLine(message: StoredMessage): string | null {
  const provenance = message.provenance;
  if (!provenance) return null;
  const model = provenance.modelVersion ?? provenance.modelRequested;
  const extras = [provenance.fallbackNote].filter((value): value is string => Boolean(value));
  return `_${provenance.connectionName} · ${model}${extras.length > 0 ? ` · ${extras.join(' · ')}` : ''}_`;
}

function body(message: StoredMessage): string {
  if (!message.parts) return message.content;
  // Images are named, not embedded: a Markdown export should stay a small text file.
  return message.parts.map((part) => (part.type === 'text' ? part.text : `_[image attached: ${part.mediaType}]_`)).join('\n\n');
}

export function conversationMarkdown(title: string, messages: readonly StoredMessage[]): string {
  const sections = [`# ${title.replace(/\s*\n\s*/g, ' ')}`];
  for (const message of messages) {
    const lines = [message.role === 'user' ? '## You' : '## Assistant'];
    const provenance = message.role === 'assistant' ? provenanceLine(message) : null;
    if (provenance) lines.push(provenance);
    const text = body(message);
    if (text.length > 0) lines.push(text);
    const note = statusNotes[message.status];
    if (note) lines.push(note);
    if (message.status === 'error') lines.push(`_The answer failed: ${message.error?.message ?? 'unknown error'}_`);
    sections.push(lines.join('\n\n'));
  }
  return `${sections.join('\n\n')}\n`;
}
