// Images for chat messages and tasks: checked and read as base64 in the renderer, sent to main as content parts.
import { imageMediaTypes } from '../../../src-shared/schemas/chat-message';

/** An image picked, pasted or dropped, ready to send. */
export interface ImageAttachment {
  id: string;
  name: string;
  mediaType: (typeof imageMediaTypes)[number];
  /** Base64 without the data: prefix. */
  data: string;
  size: number;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
/** The send contract allows 20 parts; one is the text. */
export const MAX_IMAGES = 10;
export const acceptedImageTypes = imageMediaTypes.join(',');

type ImageMediaType = (typeof imageMediaTypes)[number];
const isImageType = (type: string): type is ImageMediaType => (imageMediaTypes as readonly string[]).includes(type);

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('unreadable'));
    reader.readAsDataURL(file);
  });
}

let counter = 0;

/** Reads what can be sent; says in words why any other file was left out. */
export async function readImages(
  files: readonly File[],
  alreadyAttached: number,
  container: 'message' | 'task' = 'message',
): Promise<{ attachments: ImageAttachment[]; errors: string[] }> {
  const attachments: ImageAttachment[] = [];
  const errors: string[] = [];
  for (const file of files) {
    const name = file.name || 'Pasted image';
    if (!isImageType(file.type)) {
      errors.push(`${name} is not an image Switchboard can send (PNG, JPEG, GIF or WebP).`);
      continue;
    }
    if (file.size > MAX_IMAGE_BYTES) {
      errors.push(`${name} is ${formatBytes(file.size)}; images can be at most ${formatBytes(MAX_IMAGE_BYTES)}.`);
      continue;
    }
    if (alreadyAttached + attachments.length >= MAX_IMAGES) {
      errors.push(`At most ${MAX_IMAGES} images fit in one ${container}; ${name} was left out.`);
      continue;
    }
    try {
      counter += 1;
      attachments.push({ id: `attachment-${counter}`, name, mediaType: file.type, data: await readBase64(file), size: file.size });
    } catch {
      errors.push(`${name} could not be read.`);
    }
  }
  return { attachments, errors };
}

export const imageSource = (mediaType: string, data: string) => `data:${mediaType};base64,${data}`;
