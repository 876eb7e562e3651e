// Images for a task: checked and read as base64 in the renderer, sent to main as content parts.
import { imageMediaTypes } from '../../../../src-shared/schemas/chat-message';
import type { TaskAttachment } from '../../stores/tasks-store';
import { formatBytes } from './task-format';

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
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

/** Reads the images that can be sent; says in words why any other file was left out. */
export async function readTaskImages(
  files: readonly File[],
  alreadyAttached: number,
): Promise<{ attachments: TaskAttachment[]; errors: string[] }> {
  const attachments: TaskAttachment[] = [];
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
      errors.push(`At most ${MAX_IMAGES} images fit in one task; ${name} was left out.`);
      continue;
    }
    try {
      counter += 1;
      attachments.push({ id: `task-image-${counter}`, name, mediaType: file.type, data: await readBase64(file), size: file.size });
    } catch {
      errors.push(`${name} could not be read.`);
    }
  }
  return { attachments, errors };
}

export const imageSource = (mediaType: string, data: string) => `data:${mediaType};base64,${data}`;
